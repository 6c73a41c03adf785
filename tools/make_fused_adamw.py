"""Writes the TorchScript program that applies one AdamW step with PyTorch's fused kernel.

DJL's NDArray API has no fused optimiser operators, so an AdamW step written with it makes
about 34 passes over every parameter-sized array (the moments, the gradient, temporaries). On
SmolLM2-135M that was a third of a training step on this machine. PyTorch's ``_fused_adamw_``
makes one pass. This script compiles a small module around it with ``torch.jit.script``; the Java
side (``dev.crl.learning.rl.FusedAdamWStep``) loads the result from the classpath and calls it.

The program also computes the global gradient norm, clips through the kernel's ``grad_scale``
argument (the kernel divides each gradient by it), skips the update when the norm is not finite,
and zeroes the gradients, so a whole optimiser step is one call from Java.

Run it with the same PyTorch version as DJL's libtorch (2.7.1; TorchScript files are read by
the libtorch that wrote them or a newer one):

    .crl-tools/learning-venv/bin/python tools/make_fused_adamw.py
"""
import pathlib
from typing import List

import torch

OUT = (pathlib.Path(__file__).resolve().parent.parent
       / "activities/learning/src/main/resources/dev/crl/learning/rl/fused-adamw-step.pt")


def _zero(decayed_grads: List[torch.Tensor], plain_grads: List[torch.Tensor]):
    # The callers' own lists: TorchScript drops an in-place zeroing of a list built inside the
    # program (such as decayed_grads + plain_grads) as if it had no visible effect.
    if len(decayed_grads) > 0:
        torch._foreach_zero_(decayed_grads)
    if len(plain_grads) > 0:
        torch._foreach_zero_(plain_grads)


class FusedAdamWStep(torch.nn.Module):
    def forward(self,
                decayed_params: List[torch.Tensor], decayed_grads: List[torch.Tensor],
                decayed_m: List[torch.Tensor], decayed_v: List[torch.Tensor],
                plain_params: List[torch.Tensor], plain_grads: List[torch.Tensor],
                plain_m: List[torch.Tensor], plain_v: List[torch.Tensor],
                step: float, lr: float, beta1: float, beta2: float, weight_decay: float,
                eps: float, max_grad_norm: float) -> torch.Tensor:
        grads = decayed_grads + plain_grads
        with torch.no_grad():
            total = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
            if not bool(torch.isfinite(total)):
                _zero(decayed_grads, plain_grads)
                return total
            scale = torch.ones_like(total)
            if max_grad_norm > 0.0 and bool(total > max_grad_norm):
                scale = max_grad_norm / (total + 1e-6)
            # The kernel divides every gradient by grad_scale.
            grad_scale = 1.0 / scale
            if len(decayed_params) > 0:
                steps = [torch.full([], step, dtype=torch.float32, device=total.device)
                         for _ in decayed_params]
                torch._fused_adamw_(decayed_params, decayed_grads, decayed_m, decayed_v, [], steps,
                                    lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay,
                                    eps=eps, amsgrad=False, maximize=False,
                                    grad_scale=grad_scale, found_inf=None)
            if len(plain_params) > 0:
                steps = [torch.full([], step, dtype=torch.float32, device=total.device)
                         for _ in plain_params]
                torch._fused_adamw_(plain_params, plain_grads, plain_m, plain_v, [], steps,
                                    lr=lr, beta1=beta1, beta2=beta2, weight_decay=0.0,
                                    eps=eps, amsgrad=False, maximize=False,
                                    grad_scale=grad_scale, found_inf=None)
            _zero(decayed_grads, plain_grads)
        return total


def main():
    module = torch.jit.script(FusedAdamWStep())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    module.save(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
