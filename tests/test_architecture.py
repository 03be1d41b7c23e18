"""Plans of layers, and the differences named from them (igcourse.grading.architecture)."""

import keras
import pytest

from igcourse.grading.architecture import differences, layer_plan, upsampling_as_transposed


def _functional(*layers, shape=(8, 8, 1)):
    inputs = keras.Input(shape)
    x = inputs
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)


def test_an_activation_reads_alike_however_it_is_given():
    plans = [
        layer_plan(_functional(keras.layers.Conv2D(4, 3, activation="relu"))),
        layer_plan(_functional(keras.layers.Conv2D(4, 3), keras.layers.ReLU())),
        layer_plan(_functional(keras.layers.Conv2D(4, 3), keras.layers.Activation("relu"))),
        layer_plan(_functional(keras.layers.Conv2D(4, 3), keras.ops.relu)),
        layer_plan(
            keras.Sequential(
                [keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, 1, "valid", activation="relu")]
            )
        ),
    ]
    assert plans[0] == ["Conv2D(4, 3x3, strides 1, valid)", "ReLU"]
    assert all(plan == plans[0] for plan in plans)


def test_leaky_relu_slopes_are_the_ones_that_run():
    layer_default = layer_plan(_functional(keras.layers.LeakyReLU()))
    function_default = layer_plan(_functional(keras.layers.Activation("leaky_relu")))
    op = layer_plan(_functional(lambda x: keras.ops.leaky_relu(x, 0.2)))
    assert layer_default == ["LeakyReLU(0.3)"]
    assert function_default == op == ["LeakyReLU(0.2)"]


def test_a_reshape_reads_alike_as_a_layer_or_an_operation():
    """keras.ops.reshape in a functional model is an operation with `newshape`, not the layer's
    `target_shape` (reading that crashed the probe of a correct answer)."""
    layer = layer_plan(_functional(keras.layers.Reshape((64,)), shape=(8, 8)))
    operation = layer_plan(_functional(lambda x: keras.ops.reshape(x, (-1, 64)), shape=(8, 8)))
    assert layer == ["Reshape((64,))"]
    assert operation == ["Reshape((-1, 64))"]


def test_nested_models_are_read_in_order_and_subclassed_ones_are_not():
    inner = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(3, use_bias=False)])
    outer = _functional(keras.layers.Dropout(0.3), inner)
    assert layer_plan(outer) == ["Dropout(0.3)", "Flatten", "Dense(3, no bias)"]

    class Subclassed(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return keras.ops.tanh(self.dense(x))

    assert layer_plan(Subclassed()) is None
    assert layer_plan(_functional(Subclassed(), shape=(4,))) is None


def test_upsampling_and_a_convolution_read_as_a_transposed_convolution():
    upsampled = layer_plan(
        _functional(keras.layers.UpSampling2D(2), keras.layers.Conv2D(4, 3, padding="same"))
    )
    transposed = layer_plan(_functional(keras.layers.Conv2DTranspose(4, 3, 2, padding="same")))
    assert upsampled != transposed
    assert upsampling_as_transposed(upsampled) == transposed


TABLE = ["Conv2D(4)", "LeakyReLU(0.2)", "Conv2D(8)", "BatchNormalization", "LeakyReLU(0.2)"]


@pytest.mark.parametrize(
    ("yours", "said"),
    [
        (
            ["Conv2D(4)", "LeakyReLU(0.2)", "Conv2D(8)", "LeakyReLU(0.2)", "BatchNormalization"],
            "yours has LeakyReLU(0.2) before BatchNormalization; the table has "
            "BatchNormalization before LeakyReLU(0.2)",
        ),
        (
            ["Conv2D(4)", "LeakyReLU(0.3)", "Conv2D(8)", "BatchNormalization", "LeakyReLU(0.3)"],
            "after Conv2D(4), yours has LeakyReLU(0.3) where the table has LeakyReLU(0.2); "
            "after BatchNormalization, yours has LeakyReLU(0.3)",
        ),
        (TABLE[:3] + TABLE[4:], "after Conv2D(8), yours lacks the table's BatchNormalization"),
        (
            TABLE[:2] + ["Dropout(0.3)"] + TABLE[2:],
            "after LeakyReLU(0.2), yours has Dropout(0.3), which the table does not",
        ),
    ],
)
def test_differences_name_what_moved_changed_went_missing_or_was_added(yours, said):
    assert said in differences(yours, TABLE)


def test_a_step_moved_further_is_said_once_where_it_is():
    yours = ["Conv2D(4)", "BatchNormalization", "LeakyReLU(0.2)", "Conv2D(8)", "LeakyReLU(0.2)"]
    said = differences(yours, TABLE)
    assert "yours has BatchNormalization after Conv2D(4); the table has it after Conv2D(8)" in said


def test_no_difference_is_claimed_without_two_known_plans():
    assert differences(TABLE, TABLE) == ""
    assert differences(None, TABLE) == ""
    assert differences(TABLE, None) == ""
