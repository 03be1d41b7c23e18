"""The tf.data adapter: NumPy batches as a tf.data.Dataset for the TensorFlow path."""


def as_tf_dataset(batches, *, prefetch=2):
    """A tf.data.Dataset yielding the batches of `batches` (Batches, UnpairedBatches, ...).

    Every pass over the dataset is one epoch of `batches`. The element spec is taken from
    the first batch; the batch dimension is fixed when all batches have the same size.
    """
    import tensorflow as tf

    first = batches.peek() if hasattr(batches, "peek") else next(iter(batches))
    single = not isinstance(first, tuple)
    first = (first,) if single else first
    fixed = getattr(batches, "drop_remainder", True)

    def spec(array):
        shape = (array.shape[0] if fixed else None, *array.shape[1:])
        return tf.TensorSpec(shape=shape, dtype=tf.as_dtype(array.dtype))

    signature = tuple(spec(a) for a in first)
    signature = signature[0] if single else signature
    dataset = tf.data.Dataset.from_generator(lambda: iter(batches), output_signature=signature)
    return dataset.prefetch(prefetch)
