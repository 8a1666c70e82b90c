import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--raw")
parser.add_argument("--out")
args = parser.parse_args()
print(f"prepare {args.raw} -> {args.out}")
