#!/usr/bin/env python3
"""Reprices a refurbisher's grid from a CSV file through the TradeIn seller
API's bulk endpoint, all or nothing.

The file is the one the price grid exports (and imports):

    market,variant_sku,grade,price,currency,weekly_cap
    fr-fr,iphone-13-128gb,functional_good,312.00,EUR,20

An empty price stops buying that cell; an empty cap means no cap.

    TRADEIN_URL=http://127.0.0.1:3000 TRADEIN_TOKEN=tik_... python3 examples/reprice.py prices.csv

The request carries an Idempotency-Key made from the file's content, so
running the script again after a timeout never applies the file twice: the
server replays its first answer. Standard library only.
"""

import csv
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request


def rows_of(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        for line in csv.DictReader(f):
            cap = (line.get("weekly_cap") or "").strip()
            yield {
                "market": line["market"].strip(),
                "sku": line["variant_sku"].strip(),
                "grade": line["grade"].strip(),
                "price": (line.get("price") or "").strip() or None,
                "weekly_cap": int(cap) if cap else None,
                "currency": (line.get("currency") or "").strip() or None,
            }


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} prices.csv")
    base = os.environ.get("TRADEIN_URL", "http://127.0.0.1:3000").rstrip("/")
    token = os.environ.get("TRADEIN_TOKEN")
    if not token:
        sys.exit("set TRADEIN_TOKEN to a token made on your area's API page")
    body = json.dumps({"rows": list(rows_of(sys.argv[1]))}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/listings/bulk",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": "reprice-" + hashlib.sha256(body).hexdigest()[:32],
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            counts = json.load(answer)
            replayed = answer.headers.get("Idempotent-Replayed") == "true"
    except urllib.error.HTTPError as refused:
        problem = json.load(refused)
        print(f"{refused.code} {problem.get('title')}: {problem.get('detail')}", file=sys.stderr)
        for e in problem.get("errors", []):
            print(f"  {e['field']}: {e.get('code', '')} {e['detail']}", file=sys.stderr)
        sys.exit(1)
    print(
        f"applied{' (replayed)' if replayed else ''}: {counts['new']} new, {counts['changed']} changed, "
        f"{counts['removed']} removed, {counts['unchanged']} unchanged"
    )


if __name__ == "__main__":
    main()
