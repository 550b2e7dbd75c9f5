"""Python as a peer of ccanalytics' parser: json.loads of every line and of every inner
`message`, nothing stored. Prints {"events": N, "seconds": S} as JSON."""

import json
import sys
import time


def main(path: str) -> None:
    started = time.perf_counter()
    events = 0
    with open(path, "rb") as lines:
        for line in lines:
            if not line.strip():
                continue
            batch = json.loads(line)
            for log_event in batch["logEvents"]:
                json.loads(log_event["message"])
                events += 1
    seconds = time.perf_counter() - started
    print(json.dumps({"events": events, "seconds": seconds}))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python_parse.py TELEMETRY_JSONL")
    main(sys.argv[1])
