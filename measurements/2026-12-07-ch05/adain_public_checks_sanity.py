"""Sanity script of the draft (not the mutant zoo): 13 hand-made wrong answers, each made by
replacing one line of solutions/ch05_style_transfer/adain.py, run through the PUBLIC checks.
Usage: PYTHONPATH=. /work/main/.venv/bin/python measurements/2026-12-07-ch05/adain_public_checks_sanity.py
"""
import importlib.util, re
from igcourse.checks import check_part
src0 = open("solutions/ch05_style_transfer/adain.py").read()
MUTS = {
 "eps outside": ("adain", "keras.ops.sqrt(variance + epsilon)", "keras.ops.sqrt(variance) + epsilon"),
 "batch mean": ("adain", "mean = keras.ops.mean(x, axis=(1, 2), keepdims=True)", "mean = keras.ops.mean(x, axis=(0, 1, 2), keepdims=True)"),
 "swap args": ("adain", "style_std * (content - content_mean) / content_std + style_mean", "content_std * (content - content_mean) / content_std + style_mean"),
 "zero pad": ("reflect_conv", 'mode="reflect"', 'mode="constant"'),
 "symmetric": ("reflect_conv", 'mode="reflect"', 'mode="symmetric"'),
 "relu last": ("adain_decoder", "reflect_conv(x, 3, activation=None)", "reflect_conv(x, 3)"),
 "bilinear": ("adain_decoder", 'UpSampling2D(2, interpolation="nearest")(x)\n    x = reflect_conv(x, 128)', 'UpSampling2D(2, interpolation="bilinear")(x)\n    x = reflect_conv(x, 128)'),
 "sum content": ("adain_losses", "return keras.ops.mean(keras.ops.square(features - target))", "return keras.ops.sum(keras.ops.square(features - target))"),
 "style no std": ("adain_losses", "total = total + keras.ops.mean(keras.ops.square(std - style_std))", "pass"),
 "train encoder": ("adain_step", "tape.gradient(total, decoder.trainable_variables)\n        optimizer.apply_gradients(zip(gradients, decoder.trainable_variables))", "tape.gradient(total, decoder.trainable_variables + encoder.trainable_variables)\n        optimizer.apply_gradients(zip(gradients, decoder.trainable_variables + encoder.trainable_variables))"),
 "content vs content": ("adain_step", "content = adain_content_loss(features[-1], target)", "content = adain_content_loss(features[-1], encoder(content_images)[-1])"),
 "alpha swapped": ("adain_inference", "alpha * target + (1.0 - alpha) * content_features", "(1.0 - alpha) * target + alpha * content_features"),
}
for name, (part, a, b) in MUTS.items():
    assert src0.count(a) == 1, name
    src = src0.replace(a, b)
    ns = {}
    exec(compile(src, "mut", "exec"), ns)
    try:
        check_part("ch05_style_transfer", part, ns)
        print("NOT CAUGHT", name)
    except AssertionError as e:
        print("caught", name)
    except Exception as e:
        print("ERROR", name, type(e).__name__, str(e)[:200])
src = src0.replace('def build_adain_decoder(channels=512):', 'def reflect_conv_same(x, filters, activation="relu", name=None):\n    return keras.layers.Conv2D(filters, 3, padding="same", activation=activation)(x)\n\n\ndef build_adain_decoder(channels=512):')
a = src.index("def build_adain_decoder"); src = src[:a] + src[a:].replace("reflect_conv(", "reflect_conv_same(")
ns = {}; exec(compile(src, "mut", "exec"), ns)
try:
    check_part("ch05_style_transfer", "adain_decoder", ns); print("NOT CAUGHT same padding")
except AssertionError: print("caught same padding")
