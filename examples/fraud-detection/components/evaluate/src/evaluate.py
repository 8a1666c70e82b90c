import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--model")
parser.add_argument("--data")
parser.add_argument("--report")
args = parser.parse_args()
print(f"evaluate {args.model} on {args.data} -> {args.report}")
