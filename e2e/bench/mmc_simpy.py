#!/usr/bin/env python3
"""The M/M/c model of `scalelab bench` in SimPy, for `cargo xtask bench`.

Poisson arrivals (rate LAMBDA), exponential service (rate MU per server),
C servers sharing one FIFO queue (simpy.Resource), CUSTOMERS customers;
written the way the SimPy documentation models a queue: one process per
customer. Prints one JSON object: customers, wall seconds (env.run only),
customers per wall second, the mean sojourn (ms) and the Erlang C value.

    python3 e2e/bench/mmc_simpy.py [--lam 320] [--mu 100] [--c 4]
                                   [--customers 200000] [--seed 1] [--reps 1]
"""

import argparse
import json
import math
import random
import time

import simpy


def erlang_c_sojourn_ms(lam, mu, c):
    """Mean time in an M/M/c system (wait + service), ms."""
    a = lam / mu
    rho = a / c
    terms = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) / (1.0 - rho)
    p_wait = top / (terms + top)
    return (p_wait / (c * mu - lam) + 1.0 / mu) * 1000.0


def run_once(lam, mu, c, customers, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    total = [0.0, 0]  # sum of sojourns (s), customers done

    def customer(env):
        arrived = env.now
        with servers.request() as req:
            yield req
            yield env.timeout(rng.expovariate(mu))
        total[0] += env.now - arrived
        total[1] += 1

    def source(env):
        for _ in range(customers):
            env.process(customer(env))
            yield env.timeout(rng.expovariate(lam))

    env.process(source(env))
    start = time.perf_counter()
    env.run()
    wall = time.perf_counter() - start
    return total[1], wall, total[0] / max(total[1], 1) * 1000.0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lam", type=float, default=320.0)
    p.add_argument("--mu", type=float, default=100.0)
    p.add_argument("--c", type=int, default=4)
    p.add_argument("--customers", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reps", type=int, default=1)
    a = p.parse_args()
    rates, sojourns = [], []
    done = 0
    for r in range(a.reps):
        done, wall, sojourn = run_once(a.lam, a.mu, a.c, a.customers, a.seed + r)
        rates.append(done / wall)
        sojourns.append(sojourn)
    rates_sorted = sorted(rates)
    n = len(rates_sorted)
    median = (rates_sorted[n // 2] if n % 2 else (rates_sorted[n // 2 - 1] + rates_sorted[n // 2]) / 2)
    print(json.dumps({
        "simpy_version": simpy.__version__,
        "customers": done,
        "customers_per_s": median,
        "customers_per_s_all": rates,
        "sojourn_ms": sum(sojourns) / len(sojourns),
        "erlang_c_ms": erlang_c_sojourn_ms(a.lam, a.mu, a.c),
    }))


if __name__ == "__main__":
    main()
