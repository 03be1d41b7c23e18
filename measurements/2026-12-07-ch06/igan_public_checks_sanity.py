"""Sanity script of the iGAN public checks (not the mutant zoo): hand-made wrong answers, each
made by replacing one piece of solutions/ch06_ai_painter/igan.py, run through the PUBLIC checks;
and the reference itself, which must pass every part.
Usage: PYTHONPATH=. /work/main/.venv/bin/python measurements/2026-12-07-ch06/igan_public_checks_sanity.py
"""

import time

from igcourse.checks import run_part

CHAPTER = "ch06_ai_painter"
PARTS = (
    "constraint_losses",
    "projection_step",
    "inverse_encoder",
    "projection",
    "manifold_interpolation",
)
src0 = open("solutions/ch06_ai_painter/igan.py").read()
MUTS = {
    "no mask": (
        "constraint_losses",
        "keras.ops.sum(masks * keras.ops.square(",
        "keras.ops.sum(1.0 * keras.ops.square(",
    ),
    "pooled": (
        "constraint_losses",
        "return keras.ops.mean(error / keras.ops.maximum(drawn, 1.0))",
        "return keras.ops.sum(error) / keras.ops.maximum(keras.ops.sum(drawn), 1.0)",
    ),
    "all pixels": (
        "constraint_losses",
        "return keras.ops.mean(error / keras.ops.maximum(drawn, 1.0))",
        "return keras.ops.mean(error / 784.0)",
    ),
    "no max": (
        "constraint_losses",
        "return keras.ops.mean(error / keras.ops.maximum(drawn, 1.0))",
        "return keras.ops.mean(error / drawn)",
    ),
    "prior no half": (
        "constraint_losses",
        "keras.ops.mean(0.5 * keras.ops.sum(",
        "keras.ops.mean(1.0 * keras.ops.sum(",
    ),
    "prior mean all": (
        "constraint_losses",
        "keras.ops.mean(0.5 * keras.ops.sum(keras.ops.square(z), axis=-1))",
        "0.5 * keras.ops.mean(keras.ops.square(z))",
    ),
    "step training": (
        "projection_step",
        "made = generator(z, training=False)\n            loss",
        "made = generator(z, training=True)\n            loss",
    ),
    "step no prior": (
        "projection_step",
        "loss = masked_colour_loss(made, targets, masks) + prior_weight * prior_loss(z)",
        "loss = masked_colour_loss(made, targets, masks)",
    ),
    "step ascent": (
        "projection_step",
        "optimizer.apply_gradients([(tape.gradient(loss, z), z)])",
        "optimizer.apply_gradients([(-tape.gradient(loss, z), z)])",
    ),
    "step updates G": (
        "projection_step",
        "optimizer.apply_gradients([(tape.gradient(loss, z), z)])",
        "variables = [z] + generator.trainable_variables\n        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))",
    ),
    "enc kernel 4": (
        "inverse_encoder",
        "h = keras.layers.Conv2D(filters, 3, strides=2",
        "h = keras.layers.Conv2D(filters, 4, strides=2",
    ),
    "enc relu": (
        "inverse_encoder",
        "h = keras.layers.LeakyReLU(negative_slope=0.2)(h)\n    codes",
        "h = keras.layers.ReLU()(h)\n    codes",
    ),
    "enc tanh out": (
        "inverse_encoder",
        "keras.layers.Dense(z_dim)(",
        'keras.layers.Dense(z_dim, activation="tanh")(',
    ),
    "enc fixed seed": (
        "inverse_encoder",
        "z = keras.random.normal((batch_size, z_dim), seed=seeds)",
        "z = keras.random.normal((batch_size, z_dim), seed=7)",
    ),
    "enc uniform": (
        "inverse_encoder",
        "z = keras.random.normal((batch_size, z_dim), seed=seeds)",
        "z = keras.random.uniform((batch_size, z_dim), seed=seeds)",
    ),
    "enc trains G": (
        "inverse_encoder",
        "made = generator(z, training=False)\n        with tf.GradientTape() as tape:\n            loss = keras.ops.mean(keras.ops.square(encoder(made, training=True) - z))\n        weights = encoder.trainable_variables",
        "with tf.GradientTape() as tape:\n            made = generator(z, training=False)\n            loss = keras.ops.mean(keras.ops.square(encoder(made, training=True) - z))\n        weights = encoder.trainable_variables + generator.trainable_variables",
    ),
    "enc G training": (
        "inverse_encoder",
        "made = generator(z, training=False)\n        with",
        "made = generator(z, training=True)\n        with",
    ),
    "project random start": (
        "projection",
        "z = tf.Variable(encoder(targets, training=False))",
        "z = tf.Variable(keras.random.normal((targets.shape[0], generator.input_shape[-1])))",
    ),
    "project SGD": (
        "projection",
        "step = make_projection_step(generator, keras.optimizers.Adam(rate)",
        "step = make_projection_step(generator, keras.optimizers.SGD(rate)",
    ),
    "project no prior": (
        "projection",
        "keras.optimizers.Adam(rate), prior_weight)\n",
        "keras.optimizers.Adam(rate), 0.0)\n",
    ),
    "project returns start": (
        "projection",
        "return z.numpy(), losses",
        "return encoder(targets).numpy(), losses",
    ),
    "slerp lerp": (
        "manifold_interpolation",
        "return keras.ops.where(parallel, (1.0 - t) * z_a + t * z_b, arc)",
        "return (1.0 - t) * z_a + t * z_b",
    ),
    "slerp no fallback": (
        "manifold_interpolation",
        "return keras.ops.where(parallel, (1.0 - t) * z_a + t * z_b, arc)",
        "return ((1.0 - t) * n_a + t * n_b) * turn / sine",
    ),
    "slerp classic": (
        "manifold_interpolation",
        "arc = ((1.0 - t) * n_a + t * n_b) * turn",
        "arc = (keras.ops.sin((1.0 - t) * omega) * z_a + keras.ops.sin(t * omega) * z_b)",
    ),
    "interp lerp": (
        "manifold_interpolation",
        "codes = [slerp(z_a, z_b, float(t))",
        "codes = [(1 - float(t)) * z_a + float(t) * z_b",
    ),
    "interp training": (
        "manifold_interpolation",
        "keras.ops.concatenate(codes), training=False",
        "keras.ops.concatenate(codes), training=True",
    ),
}
for name, (part, a, b) in MUTS.items():
    assert src0.count(a) == 1, name
    ns = {}
    exec(compile(src0.replace(a, b), "mut", "exec"), ns)
    failed = [r for r in run_part(CHAPTER, part, ns) if not r.passed]
    message = failed[0].message[:240] if failed else ""
    print("caught" if failed else "NOT CAUGHT", f"{name:22s}", message, flush=True)
ns = {}
exec(compile(src0, "ref", "exec"), ns)
for part in PARTS:
    start = time.perf_counter()
    results = run_part(CHAPTER, part, ns)
    seconds = time.perf_counter() - start
    print(
        part,
        [r.passed for r in results],
        f"{seconds:.1f} s",
        [r.message for r in results if not r.passed],
    )
