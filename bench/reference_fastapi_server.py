#!/usr/bin/env python3
"""Reference server for bench/http_bench.sh: the same API on FastAPI + uvicorn, answering from
precomputed lists (no model runs here), so the bench compares the Qt server's full request path
against a typical Python service's HTTP + validation + JSON overhead alone.

  reference_fastapi_server.py precompute --from http://127.0.0.1:18481 --out lists.json \
      --anime-ids 1,5,... --user-ids 1,2,...
  reference_fastapi_server.py serve --lists lists.json --port 18482
"""
import argparse
import json
import sys
import urllib.request


def fetch(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def precompute(args):
    anime_ids = [int(x) for x in args.anime_ids.split(",") if x]
    user_ids = [int(x) for x in args.user_ids.split(",") if x]
    lists = {
        "top": fetch(args.source, "GET", "/top"),
        "content": {str(a): fetch(args.source, "POST", "/recommend_content_based",
                                  {"anime_id": a, "top_n": 10}) for a in anime_ids},
        "collaborative": {str(u): fetch(args.source, "POST", "/recommend_collaborative",
                                        {"user_id": u, "top_n": 10}) for u in user_ids},
        "session": {str(u): fetch(args.source, "POST", "/recommend_session_based",
                                  {"user_id": u, "top_n": 10}) for u in user_ids},
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
        return answer(lists["session"], request.user_id, request.top_n)

    return app


def serve(args):
    import uvicorn

    with open(args.lists, encoding="utf-8") as source:
        lists = json.load(source)
    uvicorn.run(make_app(lists), host="127.0.0.1", port=args.port, log_level="warning",
                access_log=False, loop="uvloop", http="httptools")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    pre = commands.add_parser("precompute")
    pre.add_argument("--from", dest="source", required=True)
    pre.add_argument("--out", required=True)
    pre.add_argument("--anime-ids", required=True)
    pre.add_argument("--user-ids", required=True)
    run = commands.add_parser("serve")
    run.add_argument("--lists", required=True)
    run.add_argument("--port", type=int, default=18482)
    args = parser.parse_args()
    {"precompute": precompute, "serve": serve}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
