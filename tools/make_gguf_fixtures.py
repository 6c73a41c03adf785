"""Writes GGUF copies of the tiny Qwen2 and Qwen3 reference checkpoints, for GgufReferenceTest.

No Qwen GGUF file can be downloaded on the machines this project is built on, so the loader's
qwen2 and qwen3 paths are checked on files written here, the way llama.cpp's converter lays them
out: llama.cpp tensor names (``blk.N.attn_q.weight`` ...), no rotary permutation (llama.cpp
permutes q/k for the llama architecture only), F32 tensors, and a small byte-level BPE tokenizer
with the qwen2 pre-tokenizer. The script then loads each file back with Hugging Face transformers'
own GGUF reader and requires its logits to match the safetensors fixture's (so the files are
read the same way by an independent implementation; the shapes for that come from config.json,
see check()), and records how that reader's tokenizer
encodes a few strings, which the Java test compares against.

Run from the repository root after tools/make_reference_fixtures.py:

    .crl-tools/learning-venv/bin/python tools/make_gguf_fixtures.py
"""
import json
import pathlib

import gguf
import numpy as np
import torch
from safetensors.torch import load_file
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

REF = pathlib.Path(__file__).resolve().parent.parent / "activities/learning/src/test/resources/reference"
SAMPLES = ["abc", "the cat", "ab 12 cab", "hello the end"]
EOS = "<|endoftext|>"


def vocabulary(size):
    """Byte-level tokens (letters, digits, 'Ġ' for space), merges that build on them, one control token."""
    tokens = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [str(d) for d in range(10)] + ["Ġ"]
    merges = []
    for left, right in [("a", "b"), ("ab", "c"), ("Ġ", "a"), ("Ġa", "b"), ("t", "h"), ("th", "e"),
                        ("Ġ", "the"), ("c", "a"), ("ca", "t"), ("Ġ", "cat"), ("e", "n"), ("en", "d"),
                        ("Ġ", "end"), ("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o"), ("1", "2"),
                        ("Ġ", "12"), ("Ġ", "c"), ("Ġc", "ab"), ("i", "n"), ("o", "n"), ("e", "r"),
                        ("a", "n")]:
        merges.append(f"{left} {right}")
        tokens.append(left + right)
    while len(tokens) < size - 1:
        tokens.append(f"x{len(tokens)}")  # unreachable filler so the vocabulary has the model's size
    tokens.append(EOS)
    types = [gguf.TokenType.NORMAL] * (size - 1) + [gguf.TokenType.CONTROL]
    assert len(tokens) == size and len(set(tokens)) == size
    return tokens, types, merges


def gguf_name(hf):
    if hf == "model.embed_tokens.weight":
        return "token_embd.weight"
    if hf == "model.norm.weight":
        return "output_norm.weight"
    if hf == "lm_head.weight":
        return "output.weight"
    parts = hf.split(".")
    layer, rest = parts[2], ".".join(parts[3:])
    names = {
        "input_layernorm.weight": "attn_norm.weight",
        "post_attention_layernorm.weight": "ffn_norm.weight",
        "self_attn.q_proj.weight": "attn_q.weight", "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.v_proj.weight": "attn_v.weight", "self_attn.o_proj.weight": "attn_output.weight",
        "self_attn.q_proj.bias": "attn_q.bias", "self_attn.k_proj.bias": "attn_k.bias",
        "self_attn.v_proj.bias": "attn_v.bias",
        "self_attn.q_norm.weight": "attn_q_norm.weight", "self_attn.k_norm.weight": "attn_k_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight",
    }
    return f"blk.{layer}.{names[rest]}"


def write(family):
    d = REF / family
    cfg = json.loads((d / "config.json").read_text())
    out = d / "model.gguf"
    w = gguf.GGUFWriter(str(out), family)
    w.add_name(f"crl tiny {family} reference")
    w.add_context_length(cfg["max_position_embeddings"])
    w.add_embedding_length(cfg["hidden_size"])
    w.add_block_count(cfg["num_hidden_layers"])
    w.add_feed_forward_length(cfg["intermediate_size"])
    w.add_head_count(cfg["num_attention_heads"])
    w.add_head_count_kv(cfg["num_key_value_heads"])
    w.add_key_length(cfg["head_dim"])
    w.add_value_length(cfg["head_dim"])
    w.add_rope_freq_base(cfg["rope_theta"])
    w.add_layer_norm_rms_eps(cfg["rms_norm_eps"])
    tokens, types, merges = vocabulary(cfg["vocab_size"])
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_eos_token_id(len(tokens) - 1)
    w.add_add_bos_token(False)
    for name, tensor in sorted(load_file(str(d / "model.safetensors")).items()):
        w.add_tensor(gguf_name(name), tensor.to(torch.float32).numpy())
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return out


def check(family, path):
    d = REF / family
    expected = json.loads((d / "logits.json").read_text())
    # The shapes come from config.json: transformers' GGUF reader does not map
    # attention.key_length to head_dim and would assume Qwen3's default of 128.
    config = AutoConfig.from_pretrained(str(d))
    model = AutoModelForCausalLM.from_pretrained(str(d), gguf_file=path.name, config=config,
                                                 dtype=torch.float32)
    with torch.no_grad():
        logits = model(torch.tensor(expected["ids"])).logits
    diff = (logits - torch.tensor(expected["logits"])).abs().max().item()
    assert diff < 1e-5, f"{family}: transformers reads {path.name} with logits off by {diff}"
    tokenizer = AutoTokenizer.from_pretrained(str(d), gguf_file=path.name)
    encoded = {text: tokenizer.encode(text, add_special_tokens=False) for text in SAMPLES}
    (d / "gguf-tokens.json").write_text(json.dumps(encoded, indent=1) + "\n")
    print(f"{family}: wrote {path} ({path.stat().st_size} bytes); transformers' GGUF reader: "
          f"max |logit difference| {diff:.1e}; encodings {encoded}")


if __name__ == "__main__":
    for family in ["qwen2", "qwen3"]:
        check(family, write(family))
