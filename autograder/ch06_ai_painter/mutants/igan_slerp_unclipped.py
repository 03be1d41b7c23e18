"""slerp takes arccos of the cosine without clipping it to [-1, 1]: for parallel codes the
cosine can round above 1 in float32, and arccos then gives NaN."""

# ruff: noqa: F821 (names from the notebook)

PART = "manifold_interpolation"
MISTAKE = (
    "slerp takes arccos of u_a . u_b without clipping it to [-1, 1]: for parallel codes the "
    "cosine can round above 1 in float32, and arccos then gives NaN."
)


def slerp(z_a, z_b, t):
    z_a = keras.ops.convert_to_tensor(z_a, "float32")
    z_b = keras.ops.convert_to_tensor(z_b, "float32")
    t = keras.ops.cast(t, "float32")
    n_a = keras.ops.norm(z_a, axis=-1, keepdims=True)
    n_b = keras.ops.norm(z_b, axis=-1, keepdims=True)
    u_a = z_a / keras.ops.maximum(n_a, 1e-12)
    u_b = z_b / keras.ops.maximum(n_b, 1e-12)
    omega = keras.ops.arccos(keras.ops.sum(u_a * u_b, -1, keepdims=True))
    sine = keras.ops.sin(omega)
    parallel = sine < 1e-4
    turn = keras.ops.sin((1.0 - t) * omega) * u_a + keras.ops.sin(t * omega) * u_b
    arc = ((1.0 - t) * n_a + t * n_b) * turn / keras.ops.where(parallel, 1.0, sine)
    return keras.ops.where(parallel, (1.0 - t) * z_a + t * z_b, arc)
