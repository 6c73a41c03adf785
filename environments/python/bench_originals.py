#!/usr/bin/env python3
"""Steps per second of the Python originals (gym-sokoban, MiniHack) under a random policy,
single-threaded, resets included, with a warm-up; the counterpart of EnvBenchmark.java.

Run in a scratch venv (NOT the CI tools venv):
  python3 -m venv /tmp/envbench/venv
  /tmp/envbench/venv/bin/pip install nle==1.3.0 minihack==1.0.2 gym-sokoban==0.0.6
  /tmp/envbench/venv/bin/python environments/python/bench_originals.py
"""
import random
import time


def bench(make, step, reset, seconds):
    env = make()
    reset(env, 0)
    steps, seed = 0, 0
    end = time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < end:
        for _ in range(20):
            done = step(env)
            steps += 1
            if done:
                seed += 1
                reset(env, seed)
    return steps / (time.perf_counter() - start)


def minihack_case(gym_id):
    import gymnasium as gym
    import minihack  # noqa: F401

    def make():
        return gym.make(gym_id)

    def reset(env, seed):
        env.reset(seed=seed)

    def step(env):
        _, _, terminated, truncated, _ = env.step(random.randrange(env.action_space.n))
        return terminated or truncated

    return make, step, reset


def sokoban_case():
    import gym
    import gym_sokoban  # noqa: F401

    def make():
        # 6x6 room with 2 boxes, as the Java family; generation is gym-sokoban's own.
        from gym_sokoban.envs.sokoban_env import SokobanEnv
        return SokobanEnv(dim_room=(6, 6), num_boxes=2, max_steps=100)

    def reset(env, seed):
        random.seed(seed)
        import numpy as np
        np.random.seed(seed)
        env.reset()

    def step(env):
        result = env.step(random.randrange(1, 9), observation_mode="tiny_rgb_array")
        return result[2]

    return make, step, reset


def main():
    cases = [
        ("MiniHack-Room-Ultimate-5x5-v0", lambda: minihack_case("MiniHack-Room-Ultimate-5x5-v0")),
        ("MiniHack-MazeWalk-9x9-v0", lambda: minihack_case("MiniHack-MazeWalk-9x9-v0")),
        ("MiniHack-KeyRoom-Dark-S5-v0", lambda: minihack_case("MiniHack-KeyRoom-Dark-S5-v0")),
        ("MiniHack-River-Narrow-v0", lambda: minihack_case("MiniHack-River-Narrow-v0")),
        ("gym-sokoban 6x6, 2 boxes", sokoban_case),
    ]
    print("%-32s %10s" % ("env", "steps/s"))
    for name, case in cases:
        try:
            make, step, reset = case()
            bench(make, step, reset, 2.0)
            print("%-32s %10.0f" % (name, bench(make, step, reset, 5.0)), flush=True)
        except Exception as error:  # report and continue with the next original
            print("%-32s failed: %s" % (name, error), flush=True)


if __name__ == "__main__":
    main()
