import sys, time, json
sys.path.insert(0, "/work/adain"); sys.path.insert(0, "/work/adain/solutions/ch05_style_transfer")
import numpy as np, keras, tensorflow as tf
from adain import *
from igcourse.data import fetch, read_image, resize, to_range
from igcourse.data.vgg19 import vgg19_network
CROP, BATCH = 64, 4
def load_scaled(name, shorter):
    image = read_image(fetch("opencv-samples") / name)
    h, w = image.shape[:2]; s = shorter / min(h, w)
    image = resize(image, (round(h * s), round(w * s)))
    return to_range(image, (0.0, 1.0)).astype(np.float32)
def random_crops(pool, count, size, rng):
    out = []
    for _ in range(count):
        im = pool[rng.integers(len(pool))]
        t = rng.integers(im.shape[0] - size + 1); l = rng.integers(im.shape[1] - size + 1)
        out.append(im[t:t+size, l:l+size])
    return np.stack(out)
cp = [load_scaled(n, 2*CROP) for n in ("fruits.jpg", "messi5.jpg")]
sp = [load_scaled(n, 2*CROP) for n in ("starry_night.jpg", "baboon.jpg")]
enc = build_encoder(vgg19_network(None))
lr, steps, sw = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
checkpoints = [int(x) for x in sys.argv[4].split(",")]
keras.utils.set_random_seed(0); rng = np.random.default_rng(0)
dec = build_adain_decoder(); opt = keras.optimizers.Adam(lr)
step = make_adain_step(enc, dec, opt, sw)
trng = np.random.default_rng(123)
tc, ts = random_crops(cp, 16, CROP, trng), random_crops(sp, 16, CROP, trng)
def metrics():
    fc = enc(tc); fs = enc(ts)
    t = adain(fc[-1], fs[-1])
    out = dec(t)
    fo = enc(out)
    to_style = float(adain_style_loss(fo, fs)); to_content = float(adain_style_loss(fo, fc))
    rec = np.clip(np.asarray(dec(fc[-1])), 0, 1)
    mse = float(np.mean((rec - tc) ** 2))
    base = float(np.mean((tc - tc.mean(axis=(1, 2), keepdims=True)) ** 2))
    return dict(to_style=to_style, to_content=to_content, ratio=to_style / to_content, recon_mse=mse, flat_mse=base, content_loss=float(adain_content_loss(fo[-1], t)))
res = {0: metrics()}; print(0, res[0], flush=True)
t0 = time.perf_counter()
for i in range(1, steps + 1):
    step(tf.constant(random_crops(cp, BATCH, CROP, rng)), tf.constant(random_crops(sp, BATCH, CROP, rng)))
    if i in checkpoints:
        res[i] = metrics(); print(i, round(time.perf_counter() - t0), res[i], flush=True)
json.dump(res, open(f"/tmp/me/adain_quality_{lr}_{steps}_{sw}.json", "w"), indent=1)
