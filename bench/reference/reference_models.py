#!/usr/bin/python3
"""Reference implementations, in numpy/scipy, of the baselines the quality benchmarks compare with.

They read the split files a benchmark exported (core/eval/split_files.h) and score them the way
the benchmark does, so the benchmark can print their figures beside its own in the same run:

  popularity  train interaction counts
  markov      first-order Markov chain: counts of (previous title -> next title) over the train
              histories in file order, popularity breaking ties
  ease        EASE (Steck 2019), closed form B = -P / diag(P), P = (X'X + lambda I)^-1, zero diagonal
  itemknn     item-based kNN: cosine similarity of the binary item columns, summed over the history
              (every neighbour kept)

Ranking: every title occurring in train, minus the user's train titles, K = 10.
  --protocol next     one held-out title per user (P2, P3): HR@10 = Recall@10 and NDCG@10; a
                      title scoring the same as the held-out one ranks before it (pessimistic)
  --protocol holdout  several held-out titles (P1): Recall@10 = hits / min(10, R), NDCG@10 over
                      min(10, R) ideal hits; ties go to the earlier title of --anime (as the C++
                      evaluator's partial selection does)

Usage: reference_models.py --anime A --train T --test V --protocol next|holdout
                           [--models popularity,markov,ease,itemknn] [--ease-lambda 200]
Prints one line per model:
  reference NAME ndcg@10 X recall@10 Y users N seconds S
"""
import argparse
import csv
import sys
import time

import numpy as np
import scipy.sparse as sp


def read_ids(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        column = header.index("mal_id") if "mal_id" in header else header.index("anime_id")
        return [int(row[column]) for row in reader if row]


def read_pairs(path):
    """(user_id, anime_id) rows in file order."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        user, anime = header.index("user_id"), header.index("anime_id")
        return [(int(row[user]), int(row[anime])) for row in reader if row]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--anime", required=True)
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--protocol", choices=["next", "holdout"], required=True)
    parser.add_argument("--models", default="popularity,markov,ease,itemknn")
    parser.add_argument("--ease-lambda", type=float, default=200.0)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()

    catalogue = read_ids(args.anime)
    column_of = {anime: i for i, anime in enumerate(catalogue)}
    train = read_pairs(args.train)
    test = read_pairs(args.test)

    users = sorted({u for u, _ in train} | {u for u, _ in test})
    row_of = {u: i for i, u in enumerate(users)}
    histories = [[] for _ in users]
    for u, a in train:
        histories[row_of[u]].append(column_of[a])
    held_out = [set() for _ in users]
    for u, a in test:
        held_out[row_of[u]].add(column_of[a])
    items = len(catalogue)

    rows = [row_of[u] for u, _ in train]
    cols = [column_of[a] for _, a in train]
    x = sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(users), items))
    x.data[:] = 1.0  # a title listed twice counts once
    x.sum_duplicates()
    x.data[:] = 1.0
    counts = np.asarray(x.sum(axis=0)).ravel()
    candidate = counts > 0
    tie_break = counts / (counts.max() + 1.0)

    tested = [r for r in range(len(users)) if held_out[r] - set(histories[r])]

    def scorer(name):
        if name == "popularity":
            return lambda batch: np.tile(counts, (len(batch), 1))
        if name == "markov":
            previous, following = [], []
            for h in histories:
                previous.extend(h[:-1])
                following.extend(h[1:])
            transitions = sp.csr_matrix(
                (np.ones(len(previous)), (previous, following)), shape=(items, items))

            def score(batch):
                last = [histories[r][-1] if histories[r] else 0 for r in batch]
                s = transitions[last].toarray() + tie_break
                for i, r in enumerate(batch):
                    if not histories[r]:
                        s[i] = counts
                return s
            return score
        if name == "ease":
            used = np.flatnonzero(candidate)
            xu = x[:, used]
            gram = (xu.T @ xu).toarray()
            gram[np.diag_indices_from(gram)] += args.ease_lambda
            p = np.linalg.inv(gram)
            b = -p / np.diag(p)
            np.fill_diagonal(b, 0.0)

            def score(batch):
                s = np.zeros((len(batch), items))
                s[:, used] = xu[batch] @ b
                return s
            return score
        if name == "itemknn":
            norms = np.sqrt(counts)
            norms[norms == 0] = 1.0
            xn = x.multiply(1.0 / norms).tocsr()
            similarity = (xn.T @ xn).tocsr()
            similarity = (similarity - sp.diags(similarity.diagonal())).tocsr()
            return lambda batch: (x[batch] @ similarity).toarray()
        raise SystemExit(f"reference_models.py: unknown model '{name}'")

    k = args.k
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    for name in args.models.split(","):
        started = time.perf_counter()
        score = scorer(name)
        ndcg_sum = recall_sum = 0.0
        for start in range(0, len(tested), 512):
            batch = tested[start:start + 512]
            s = np.asarray(score(batch), dtype=np.float64)
            s[:, ~candidate] = -np.inf
            for i, r in enumerate(batch):
                s[i, histories[r]] = -np.inf
            for i, r in enumerate(batch):
                relevant = held_out[r] - set(histories[r])
                if args.protocol == "next":
                    target = next(iter(relevant))
                    if not candidate[target]:
                        continue  # never in train: ranked nowhere, a miss
                    target_score = s[i, target]
                    rank = int(np.count_nonzero(s[i] >= target_score)) - 1
                    if rank < k:
                        ndcg_sum += discounts[rank]
                        recall_sum += 1.0
                else:
                    row = s[i]
                    top = np.argpartition(-row, k)[:k + 1] if items > k + 1 else np.arange(items)
                    # Exact order with ties to the lower index, as the C++ evaluator.
                    threshold = np.sort(row[top])[::-1][min(k, len(top)) - 1]
                    pool = np.flatnonzero(row >= threshold)
                    order = pool[np.lexsort((pool, -row[pool]))][:k]
                    order = [j for j in order if np.isfinite(row[j])]
                    hits = np.array([1.0 if j in relevant else 0.0 for j in order])
                    ideal = min(k, len(relevant))
                    recall_sum += hits.sum() / ideal
                    ndcg_sum += (hits * discounts[:len(hits)]).sum() / discounts[:ideal].sum()
        n = len(tested)
        print(f"reference {name} ndcg@{k} {ndcg_sum / n:.4f} recall@{k} {recall_sum / n:.4f} "
              f"users {n} seconds {time.perf_counter() - started:.1f}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError, KeyError) as error:
        sys.exit(f"reference_models.py: {error}")
