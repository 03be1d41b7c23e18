"""The handed-in check's figures for a folder's adain_decoder files, at several grading salts."""
import sys, types
sys.path.insert(0, "/work/adain"); sys.path.insert(0, "/work/adain/autograder/ch05_style_transfer"); sys.path.insert(0, "/work/adain/solutions/ch05_style_transfer")
from pathlib import Path
import adain as ref
import probes_adain as probes
from igcourse.grading import checks
from igcourse.data.crops import crop_pools, random_crops
folder = Path(sys.argv[1])
ns = types.SimpleNamespace(build_adain_decoder=ref.build_adain_decoder, folder=folder)
contents, styles = crop_pools(64)
for salt in ["", "a", "b", "c"]:
    checks.set_salt(salt)
    rng = checks.seeded_rng("adain handed-in crops")
    c, s = random_crops(contents, 32, 64, rng), random_crops(styles, 32, 64, rng)
    print(repr(salt), probes.handed_in_decoder(ns, "adain_decoder.weights.h5", "adain_decoder.json", c, s, 0), flush=True)
