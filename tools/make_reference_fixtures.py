#!/usr/bin/env python3
"""Writes the reference fixtures that activities/learning's equivalence tests compare against.

1. Tiny random-initialised Llama, Qwen2 and Qwen3 checkpoints saved by Hugging Face
   `transformers` (safetensors + config.json; the Llama one sharded to exercise the index file),
   with the fp32 logits they produce on fixed token ids.
2. GRPO, CISPO and cross-entropy losses and their gradients with respect to the logits on fixed
   random inputs, computed with plain PyTorch autograd.

Run from the repository root with the dev-only venv (torch + transformers):
    python3 -m venv tools/.venv && tools/.venv/bin/pip install torch==2.7.1 transformers==4.57.1
    tools/.venv/bin/python tools/make_reference_fixtures.py
The output goes to activities/learning/src/test/resources/reference/ and is committed.
"""
import json
import os
import shutil

import torch
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM, Qwen3Config, Qwen3ForCausalLM

OUT = os.path.join(os.path.dirname(__file__), "..", "activities", "learning", "src", "test", "resources", "reference")
IDS = [[1, 5, 9, 33, 2, 17, 40, 63, 8, 21], [7, 7, 50, 3, 12, 60, 4, 44, 30, 0]]


def common(**extra):
    base = dict(vocab_size=64, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, head_dim=8, max_position_embeddings=128,
                rms_norm_eps=1e-6, torch_dtype="float32")
    base.update(extra)
    return base


def perturb_norms_and_biases(model, gen):
    # Fresh models have unit norms and zero biases, which would hide a wrong norm or bias path.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            elif name.endswith(".bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))


def write_model(name, cls, config, shard):
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(99)
    model = cls(config).eval()
    perturb_norms_and_biases(model, gen)
    target = os.path.join(OUT, name)
    shutil.rmtree(target, ignore_errors=True)
    model.save_pretrained(target, safe_serialization=True, max_shard_size="40KB" if shard else "100MB")
    with torch.no_grad():
        logits = model(torch.tensor(IDS)).logits
    with open(os.path.join(target, "logits.json"), "w") as f:
        json.dump({"ids": IDS, "logits": logits.tolist()}, f)
    for extra in ("generation_config.json",):
        p = os.path.join(target, extra)
        if os.path.exists(p):
            os.remove(p)
    print(name, "logits", tuple(logits.shape), "files", sorted(os.listdir(target)))


def write_losses():
    gen = torch.Generator().manual_seed(2026)
    b, t, v = 3, 6, 11
    logits = torch.randn(b, t, v, generator=gen, dtype=torch.float64).float()
    targets = torch.randint(0, v, (b, t), generator=gen)
    mask = (torch.rand(b, t, generator=gen) > 0.3).float()
    mask[2] = 0.0
    mask[2, 1] = 1.0
    logprobs_ref = torch.log_softmax(logits, -1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    # Old log-probabilities differ enough that some ratios leave the clip range on both sides.
    old = (logprobs_ref + 0.4 * torch.randn(b, t, generator=gen)).detach()
    adv = torch.tensor([1.3, -0.7, 0.5])
    weights = torch.tensor([1.0, 0.5, 2.0])
    # Drawn after everything above so the earlier inputs stay identical when this is regenerated.
    ref = (logprobs_ref + 0.3 * torch.randn(b, t, generator=gen)).detach()
    beta = 0.05
    cases = {}

    def run(name, fn):
        x = logits.clone().requires_grad_(True)
        lp = torch.log_softmax(x, -1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        loss = fn(lp)
        loss.backward()
        cases[name] = {"loss": loss.item(), "grad": x.grad.tolist()}

    eps = 0.2

    def grpo_terms(lp):
        ratio = torch.exp(lp - old)
        a = adv.unsqueeze(1)
        return -torch.minimum(ratio * a, torch.clamp(ratio, 1 - eps, 1 + eps) * a) * mask

    run("grpo_sequence_mean",
        lambda lp: ((grpo_terms(lp).sum(1) / mask.sum(1).clamp(min=1)) * weights).sum() / weights.sum())
    run("grpo_token_mean",
        lambda lp: (grpo_terms(lp).sum(1) * weights).sum() / (mask.sum(1) * weights).sum())

    def k3(lp):
        # Schulman's k3 estimator of KL(pi || ref), per token.
        return torch.exp(ref - lp) - (ref - lp) - 1

    run("grpo_sequence_mean_kl",
        lambda lp: (((grpo_terms(lp) + beta * k3(lp) * mask).sum(1) / mask.sum(1).clamp(min=1)) * weights).sum()
        / weights.sum())
    lo, hi = 0.1, 0.1

    def cispo(lp):
        coef = torch.clamp(torch.exp(lp - old), 1 - lo, 1 + hi).detach()
        return -(coef * (adv * weights).unsqueeze(1) * lp * mask).sum() / mask.sum()

    run("cispo", cispo)
    run("cross_entropy", lambda lp: -(lp * mask * weights.unsqueeze(1)).sum() / mask.sum())
    data = {
        "logits": logits.tolist(), "targets": targets.tolist(), "mask": mask.tolist(),
        "old_logprobs": old.tolist(), "advantages": adv.tolist(), "weights": weights.tolist(),
        "ref_logprobs": ref.tolist(), "kl_coefficient": beta, "grpo_epsilon": eps, "cispo_epsilon_low": lo, "cispo_epsilon_high": hi, "cases": cases,
    }
    with open(os.path.join(OUT, "losses.json"), "w") as f:
        json.dump(data, f)
    print("losses", {k: round(c["loss"], 6) for k, c in cases.items()})


def main():
    os.makedirs(OUT, exist_ok=True)
    write_model("llama", LlamaForCausalLM,
                LlamaConfig(**common(rope_theta=10000.0, tie_word_embeddings=False)), shard=True)
    write_model("qwen2", Qwen2ForCausalLM,
                Qwen2Config(**common(rope_theta=1000000.0, tie_word_embeddings=True)), shard=False)
    write_model("qwen3", Qwen3ForCausalLM,
                Qwen3Config(**common(rope_theta=1000000.0, tie_word_embeddings=False)), shard=False)
    write_losses()


if __name__ == "__main__":
    main()
