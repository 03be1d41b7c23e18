import sys, time, json
sys.path.insert(0, "/work/adain"); sys.path.insert(0, "/work/adain/solutions/ch05_style_transfer")
import numpy as np, keras, tensorflow as tf
from adain import *
from igcourse.data import fetch, read_image, resize, to_range
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
vgg = keras.applications.VGG19(include_top=False, weights=None)
for i, layer in enumerate(vgg.layers):
    if isinstance(layer, keras.layers.Conv2D):
        layer.kernel.assign(keras.initializers.HeNormal(seed=i)(layer.kernel.shape)); layer.bias.assign(keras.ops.zeros(layer.bias.shape))
vgg.trainable = False
enc = build_encoder(vgg)
lr, steps, sw = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
keras.utils.set_random_seed(0); rng = np.random.default_rng(0)
dec = build_adain_decoder(); opt = keras.optimizers.Adam(lr)
step = make_adain_step(enc, dec, opt, sw)
t0 = time.perf_counter(); hist = []
for i in range(steps):
    l = step(tf.constant(random_crops(cp, BATCH, CROP, rng)), tf.constant(random_crops(sp, BATCH, CROP, rng)))
    hist.append([float(v) for v in l])
    if i % 20 == 0 or i == steps - 1: print(i, ["%.4g" % v for v in hist[-1]], flush=True)
print("time", time.perf_counter() - t0)
content = cp[0][None, :CROP*2, :CROP*2]
out = [np.clip(np.asarray(stylize(enc, dec, content, sp[k][None, :CROP, :CROP], a))[0], 0, 1) for k in (0, 1) for a in (0.0, 1.0)]
import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
fig, ax = plt.subplots(1, 5, figsize=(15, 3)); ax[0].imshow(content[0])
for a, o in zip(ax[1:], out): a.imshow(o)
plt.savefig(f"/tmp/me/adain_{lr}_{steps}_{sw}.png")
