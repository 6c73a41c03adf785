#!/usr/bin/env python3
"""An AgentGym-protocol HTTP server for text environments, standard library only.

Endpoints (JSON bodies and answers):
  POST /create {}                    -> {"id": N}
  POST /reset {"id": N, "seed": S}   -> {"observation", "goal", "available_actions"}
  POST /step {"id": N, "action": A}  -> {"observation", "reward", "done", "truncated",
                                          "available_actions", "info"}
  GET  /observation?id=N             -> {"observation"}
  GET  /available_actions?id=N       -> {"available_actions"}
  POST /close {"id": N}              -> {"closed": true}

Environments (--env):
  line-walk            a tiny built-in game with no dependencies: walk right to the goal cell
  minihack:<GymId>     the real MiniHack (PyPI minihack + nle), e.g. minihack:MiniHack-Room-5x5-v0

The server prints "listening on <port>" on stdout once it accepts connections, so callers can start
it with --port 0 and read the port. --fail-first N answers HTTP 503 to the first N requests, which
tests use to exercise client retries.
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse


class LineWalk:
    """Walk along a line of 5 cells from cell 0 to cell 4 with 'left' and 'right'."""

    ACTIONS = ["left", "right"]
    LENGTH = 5

    def __init__(self):
        self.pos = 0
        self.steps = 0

    def reset(self, seed):
        self.pos = int(seed) % 2  # two start cells so the seed matters
        self.steps = 0
        return self.render(""), "Reach the goal cell G."

    def render(self, message):
        cells = ["@" if i == self.pos else ("G" if i == self.LENGTH - 1 else ".")
                 for i in range(self.LENGTH)]
        return (message + "\n" if message else "") + "".join(cells)

    def available_actions(self):
        return list(self.ACTIONS)

    def step(self, action):
        self.steps += 1
        action = (action or "").strip().lower()
        if action not in self.ACTIONS:
            return self.render("Invalid action."), 0.0, False, False, {"invalid_action": action}
        self.pos = max(0, min(self.LENGTH - 1, self.pos + (1 if action == "right" else -1)))
        if self.pos == self.LENGTH - 1:
            return self.render("You reached the goal."), 1.0, True, False, {}
        truncated = self.steps >= 20
        return self.render(""), 0.0, truncated, truncated, {}


class MiniHackText:
    """The real MiniHack rendered as text: message, the map rows that contain anything, actions."""

    def __init__(self, gym_id):
        import gymnasium as gym
        import minihack  # noqa: F401  (registers the MiniHack environments)
        from nle import nethack

        self.env = gym.make(gym_id, observation_keys=("chars", "message"))
        names = {
            nethack.CompassDirection.N: "north", nethack.CompassDirection.E: "east",
            nethack.CompassDirection.S: "south", nethack.CompassDirection.W: "west",
            nethack.CompassDirection.NE: "northeast", nethack.CompassDirection.SE: "southeast",
            nethack.CompassDirection.SW: "southwest", nethack.CompassDirection.NW: "northwest",
        }
        self.actions = []
        for index, action in enumerate(self.env.unwrapped.actions):
            name = names.get(action)
            if name is None:
                name = getattr(action, "name", str(action)).lower()
            self.actions.append((name, index))
        self.last = None

    def render(self, obs):
        message = bytes(obs["message"]).decode("ascii", "replace").rstrip("\x00").strip()
        rows = ["".join(chr(c) for c in row).rstrip() for row in obs["chars"]]
        rows = [r for r in rows if r.strip()]
        return "Message: %s\nMap:\n%s\n" % (message, "\n".join(rows))

    def reset(self, seed):
        obs, _ = self.env.reset(seed=int(seed))
        self.last = self.render(obs)
        return self.last, "Reach the staircase down (>)."

    def available_actions(self):
        return [name for name, _ in self.actions]

    def step(self, action):
        wanted = (action or "").strip().lower()
        for name, index in self.actions:
            if name == wanted:
                obs, reward, terminated, truncated, _ = self.env.step(index)
                self.last = self.render(obs)
                return self.last, float(reward), bool(terminated or truncated), bool(truncated), {}
        return self.last, 0.0, False, False, {"invalid_action": wanted}


def make_factory(spec):
    if spec == "line-walk":
        return LineWalk
    if spec.startswith("minihack:"):
        gym_id = spec.split(":", 1)[1]
        return lambda: MiniHackText(gym_id)
    raise SystemExit("unknown --env %r (use line-walk or minihack:<GymId>)" % spec)


class State:
    def __init__(self, factory, fail_first):
        self.factory = factory
        self.envs = {}
        self.next_id = 0
        self.lock = threading.Lock()
        self.fail_left = fail_first


def handler_for(state):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, code, payload):
            body = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            # Every answer ends its connection; saying so stops clients from reusing a closed socket.
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def injected_failure(self):
            with state.lock:
                if state.fail_left > 0:
                    state.fail_left -= 1
                    self.answer(503, {"error": "injected failure"})
                    return True
            return False

        def env_for(self, raw_id):
            env = state.envs.get(str(raw_id))
            if env is None:
                self.answer(404, {"error": "unknown environment id %r" % (raw_id,)})
            return env

        def do_GET(self):
            if self.injected_failure():
                return
            url = urlparse(self.path)
            query = parse_qs(url.query)
            env = self.env_for(query.get("id", [""])[0])
            if env is None:
                return
            if url.path == "/observation":
                self.answer(200, {"observation": getattr(env, "last", None) or env.render("")})
            elif url.path == "/available_actions":
                self.answer(200, {"available_actions": env.available_actions()})
            else:
                self.answer(404, {"error": "no such endpoint"})

        def do_POST(self):
            if self.injected_failure():
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self.answer(400, {"error": "body is not JSON"})
                return
            path = urlparse(self.path).path
            try:
                if path == "/create":
                    with state.lock:
                        env_id = str(state.next_id)
                        state.next_id += 1
                    state.envs[env_id] = state.factory()
                    self.answer(200, {"id": int(env_id)})
                    return
                env = self.env_for(body.get("id"))
                if env is None:
                    return
                if path == "/reset":
                    text, goal = env.reset(body.get("seed", body.get("data_idx", 0)))
                    self.answer(200, {"observation": text, "goal": goal,
                                      "available_actions": env.available_actions()})
                elif path == "/step":
                    text, reward, done, truncated, info = env.step(body.get("action", ""))
                    self.answer(200, {"observation": text, "reward": reward, "done": done,
                                      "truncated": truncated,
                                      "available_actions": env.available_actions(),
                                      "info": info})
                elif path == "/close":
                    state.envs.pop(str(body.get("id")), None)
                    self.answer(200, {"closed": True})
                else:
                    self.answer(404, {"error": "no such endpoint"})
            except Exception as error:  # the client must see a clear 500, not a dropped connection
                self.answer(500, {"error": "%s: %s" % (type(error).__name__, error)})

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", default="line-walk")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    state = State(make_factory(args.env), args.fail_first)
    # One thread serves every request: NetHack (inside NLE) switches stacks and must always be driven
    # from the thread that created it, and requests to one environment are sequential anyway.
    server = HTTPServer((args.host, args.port), handler_for(state))
    print("listening on %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
