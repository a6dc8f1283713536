"""OpenFisca's per-person cost for a comparable rule (basic_income of the country template:
an age condition and a dated parameter), on N persons, vectorised as OpenFisca is used."""
import sys, time
import numpy as np
from openfisca_country_template import CountryTaxBenefitSystem
from openfisca_core.simulation_builder import SimulationBuilder

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
tbs = CountryTaxBenefitSystem()
t0 = time.perf_counter()
sb = SimulationBuilder()
sb.create_entities(tbs)
ids = [f"p{i}" for i in range(n)]
sb.declare_person_entity("person", ids)
hh = sb.declare_entity("household", [f"h{i}" for i in range(n)])
sb.join_with_persons(hh, [f"h{i}" for i in range(n)], ["first_parent"] * n)
sim = sb.build(tbs)
births = np.array(["1960-01-01", "1990-06-15", "2010-03-01"] * (n // 3 + 1))[:n].astype("datetime64[D]")
sim.set_input("birth", "2024-01", births)
sim.set_input("salary", "2024-01", np.zeros(n))
built = time.perf_counter()
out = sim.calculate("basic_income", "2024-01")
done = time.perf_counter()
print(f"persons={n} build_s={built - t0:.3f} compute_s={done - built:.4f} per_person_us={(done - built) * 1e6 / n:.3f} eligible={int((out > 0).sum())}")

# One person at a time with the computation traced: a citizen checking what they are entitled
# to, with the explanation — the same per-person calculation `jiuye bench policy` times.
k = int(sys.argv[2]) if len(sys.argv) > 2 else 200
t0 = time.perf_counter()
for i in range(k):
    sb = SimulationBuilder()
    sim = sb.build_from_entities(tbs, {"persons": {"p": {"birth": {"ETERNITY": "1990-06-15" if i % 2 else "2010-03-01"}, "salary": {"2024-01": 0}}},
                                       "households": {"h": {"adults": ["p"]}}})
    sim.trace = True
    sim.calculate("basic_income", "2024-01")
    sim.tracer.computation_log.lines()
one = (time.perf_counter() - t0) * 1e6 / k
print(f"single_traced_per_person_us={one:.1f} over {k}")
