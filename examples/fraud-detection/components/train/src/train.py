import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--data")
parser.add_argument("--rate", type=float)
parser.add_argument("--out")
args = parser.parse_args()
print(f"train on {args.data} at {args.rate} -> {args.out}")
