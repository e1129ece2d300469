#!/usr/bin/env python3
"""Reference server for bench/http_bench.sh: the same API on FastAPI + uvicorn, answering from
precomputed lists (no model runs here), so the bench compares the Qt server's full request path
against a typical Python service's HTTP + validation + JSON overhead alone.

  reference_fastapi_server.py ids --db var/animerec.sqlite --out ids.json
      (or --anime-csv anime.csv --interactions-csv ratings.csv): every anime and user id, and
      anonymous sessions to post as "history" (the latest titles of a sample of users)
  reference_fastapi_server.py precompute --from http://127.0.0.1:18481 --out lists.json \
      --ids ids.json
  reference_fastapi_server.py serve --lists lists.json --port 18482 --workers 2
"""
import argparse
import concurrent.futures
import csv
import json
import os
import sqlite3
import sys
import urllib.request


def fetch(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


SESSION_COUNT = 2000  # anonymous sessions posted as "history"
SESSION_LENGTH = 20  # titles per session: each sampled user's latest


def sessions_of(titles_by_user):
    """Up to SESSION_COUNT sessions: the latest SESSION_LENGTH titles of every k-th user."""
    users = sorted(titles_by_user)
    step = max(1, len(users) // SESSION_COUNT)
    return [titles_by_user[user][-SESSION_LENGTH:] for user in users[::step]][:SESSION_COUNT]


def ids(args):
    titles_by_user = {}
    if args.db:
        with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as db:
            anime = [row[0] for row in db.execute("SELECT anime_id FROM Anime ORDER BY anime_id")]
            for user, title in db.execute(
                    "SELECT user_id, anime_id FROM UserAnimeInteractions "
                    "ORDER BY user_id, interaction_id"):
                titles_by_user.setdefault(user, []).append(title)
    else:
        with open(args.anime_csv, newline="", encoding="utf-8") as source:
            anime = sorted({int(row["anime_id"]) for row in csv.DictReader(source)})
        for path in args.interactions_csv or []:
            with open(path, newline="", encoding="utf-8") as source:
                for row in csv.DictReader(source):
                    titles_by_user.setdefault(int(row["user_id"]), []).append(int(row["anime_id"]))
    known = set(anime)
    for user, titles in titles_by_user.items():
        titles_by_user[user] = [title for title in titles if title in known]
    users = sorted(titles_by_user)
    sessions = [s for s in sessions_of(titles_by_user) if s]
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump({"anime": anime, "users": users, "sessions": sessions}, out)
    print(f"ids: {len(anime)} anime, {len(users)} users, {len(sessions)} sessions",
          file=sys.stderr)


def session_key(history):
    return ",".join(map(str, history))


def precompute(args):
    with open(args.ids, encoding="utf-8") as source:
        known = json.load(source)

    def many(path, field, values):
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = pool.map(lambda v: fetch(args.source, "POST", path, {field: v, "top_n": 10}),
                               values)
            return {str(v): answer for v, answer in zip(values, answers)}

    def histories(sessions):
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = pool.map(lambda h: fetch(args.source, "POST", "/recommend_session_based",
                                               {"history": h, "top_n": 10}), sessions)
            return {session_key(h): answer for h, answer in zip(sessions, answers)}

    lists = {
        "top": fetch(args.source, "GET", "/top"),
        "content": many("/recommend_content_based", "anime_id", known["anime"]),
        "collaborative": many("/recommend_collaborative", "user_id", known["users"]),
        "session": many("/recommend_session_based", "user_id", known["users"]),
        "history": histories(known.get("sessions", [])),
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(lists, out)


def make_app(lists):
    from typing import List, Optional

    from fastapi import FastAPI, HTTPException
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel, Field

    class ContentRequest(BaseModel):
        anime_id: int = Field(ge=0)
        top_n: int = Field(10, ge=1, le=100)

    class UserRequest(BaseModel):
        user_id: int = Field(ge=0)
        top_n: int = Field(10, ge=1, le=100)

    class SessionRequest(BaseModel):
        user_id: Optional[int] = Field(None, ge=0)
        history: Optional[List[int]] = None
        top_n: int = Field(10, ge=1, le=100)

    app = FastAPI()

    def answer(table, key, top_n):
        found = table.get(str(key))
        if found is None:
            raise HTTPException(status_code=404, detail=f"{key} was not precomputed")
        return JSONResponse({**found, "items": found["items"][:top_n]})

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.get("/top")
    def top():
        return JSONResponse(lists["top"])

    @app.post("/recommend_content_based")
    def content(request: ContentRequest):
        return answer(lists["content"], request.anime_id, request.top_n)

    @app.post("/recommend_collaborative")
    def collaborative(request: UserRequest):
        return answer(lists["collaborative"], request.user_id, request.top_n)

    @app.post("/recommend_session_based")
    def session(request: SessionRequest):
        if request.history is not None:
            return answer(lists["history"], session_key(request.history), request.top_n)
        return answer(lists["session"], request.user_id, request.top_n)

    return app


def app_from_environment():
    """uvicorn factory for --workers > 1: each worker process loads the lists itself."""
    with open(os.environ["REFERENCE_LISTS"], encoding="utf-8") as source:
        return make_app(json.load(source))


def serve(args):
    import uvicorn

    os.environ["REFERENCE_LISTS"] = os.path.abspath(args.lists)
    uvicorn.run("reference_fastapi_server:app_from_environment", factory=True,
                app_dir=os.path.dirname(os.path.abspath(__file__)), workers=args.workers,
                host="127.0.0.1", port=args.port, log_level="warning", access_log=False,
                loop="uvloop", http="httptools")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    known = commands.add_parser("ids")
    known.add_argument("--db")
    known.add_argument("--anime-csv")
    known.add_argument("--interactions-csv", action="append")
    known.add_argument("--out", required=True)
    pre = commands.add_parser("precompute")
    pre.add_argument("--from", dest="source", required=True)
    pre.add_argument("--out", required=True)
    pre.add_argument("--ids", required=True)
    run = commands.add_parser("serve")
    run.add_argument("--lists", required=True)
    run.add_argument("--port", type=int, default=18482)
    run.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.command == "ids" and not (args.db or args.anime_csv):
        parser.error("ids needs --db or --anime-csv")
    {"ids": ids, "precompute": precompute, "serve": serve}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
