"""Turns bench-results/results.jsonl into one Markdown table with the ratios that the targets name."""

import json
import platform
import sys


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    trips = {r["path"]: r for r in rows if r["benchmark"] == "roundtrips"}
    metrics = [r for r in rows if r["benchmark"] == "metrics"]
    clients = {r["mode"]: r for r in rows if r["benchmark"] == "clients"}
    bare = trips.get("bare td_send/td_receive loop")
    python = trips.get("python-telegram 2.0.0")
    print(f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, {platform.processor() or ''}")
    print()
    for build in (r for r in rows if r["benchmark"] == "build"):
        print("| build of a package using Telegram (from clean) | wall (s) | CPU (s) |")
        print("| --- | ---: | ---: |")
        print(f"| debug | {build['debug_wall_s']:.1f} | {build['debug_cpu_s']:.1f} |")
        print(f"| release | {build['release_wall_s']:.1f} | {build['release_cpu_s']:.1f} |")
        print()
        print(f"Release against debug: {build['release_vs_debug']:.2f} (target at most 2). Release executable: "
              f"{build['executable_mb']:.1f} MB as built, {build['stripped_mb']:.1f} MB stripped (target under 40 MB).")
        print()
    print("| round trips (testCallString) | sequential/s | pipelined/s | vs bare (seq / pipe) | vs python-telegram (seq / pipe) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, row in trips.items():
        ratio = lambda base: (f"{row['sequential_per_s'] / base['sequential_per_s']:.2f} / "
                              f"{row['pipelined_per_s'] / base['pipelined_per_s']:.2f}") if base else ""
        print(f"| {name} | {row['sequential_per_s']:,.0f} | {row['pipelined_per_s']:,.0f} | {ratio(bare)} | {ratio(python)} |")
    if metrics:
        print()
        print("| round trips, the core's metrics | sequential/s | pipelined/s | vs metrics off (seq / pipe) |")
        print("| --- | ---: | ---: | ---: |")
        off = metrics[1] if len(metrics) > 1 else None
        for row in metrics:
            vs = (f"{row['sequential_per_s'] / off['sequential_per_s']:.2f} / "
                  f"{row['pipelined_per_s'] / off['pipelined_per_s']:.2f}") if off else ""
            print(f"| {row['path']} | {row['sequential_per_s']:,.0f} | {row['pipelined_per_s']:,.0f} | {vs} |")
    print()
    print("| many accounts | clients | ready (s) | MiB per client | threads | all stopped (s) | ready vs bare | memory vs bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = clients.get("bare")
    for mode, row in clients.items():
        vs = (f"{row['ready_s'] / base['ready_s']:.2f}", f"{row['mib_per_client'] / base['mib_per_client']:.2f}") if base and base["mib_per_client"] else ("", "")
        print(f"| {mode} | {row['count']} | {row['ready_s']:.2f} | {row['mib_per_client']:.2f} | {row['threads']} | "
              f"{row['closed_s']:.2f} | {vs[0]} | {vs[1]} |")
    print()
    for row in rows:
        if row["benchmark"].startswith(("simulator", "bots")):
            figures = ", ".join(f"{k} {v:,.2f}" if isinstance(v, float) and v < 10 else f"{k} {v:,.0f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items() if k != "benchmark")
            print(f"- {row['benchmark']}: {figures}")
    print()
    print("Targets (issue 20): pipelined >= 0.8 of bare for raw JSON and >= 0.7 through Telegram, and >= 10x "
          "python-telegram; sequential >= 0.95 of bare; "
          "1,000 clients ready within 1.2x bare, stopped in < 5 s, memory within 1.2x bare.")


if __name__ == "__main__":
    main(sys.argv[1])
