"""A network's layers as a plan of short steps, and the first differences from the table's plan.

A check that finds a network computing other values than the table's names *where* it differs:
"after Conv2D(64, 4x4, strides 2, same), yours has Dropout(0.3), which the table does not".
Plans are read only from Sequential and functional models, whose layer order is the order they
run in. A subclassed model's `call` can do anything between its layers, so its plan is None and
no difference is claimed. An activation given as a layer's argument is written as a step of its
own, so that `Conv2D(..., activation="relu")` and `Conv2D(...)` followed by `ReLU()` read alike.

Probes run `layer_plan` in the sandbox (plans are lists of strings); checks call `differences`.
"""

import difflib

import keras

from igcourse.i18n import _

# Activation names as steps; a step is written the same whichever way it was given.
_ACTIVATIONS = {
    "relu": "ReLU",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "softmax": "softmax",
    "elu": "ELU",
    "selu": "SELU",
    "gelu": "GELU",
    "silu": "SiLU",
    "swish": "SiLU",
}
# keras.activations.leaky_relu and keras.ops.leaky_relu default to this slope; the layer
# keras.layers.LeakyReLU defaults to 0.3.
_LEAKY_DEFAULT = 0.2


def _number(value):
    return f"{float(value):g}"


def _activation_step(activation):
    """The step of an activation function (or None for the identity)."""
    name = getattr(activation, "__name__", None) or str(activation)
    if name in ("linear", "None"):
        return None
    if name == "leaky_relu":
        return f"LeakyReLU({_number(_LEAKY_DEFAULT)})"
    return _ACTIVATIONS.get(name, f"activation {name}")


def _size(value):
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if len(set(values)) == 1:
        return str(values[0])
    return "x".join(str(v) for v in values)


def _kernel(kernel_size):
    """A kernel size as it reads in a table: 3 -> "3x3", (3, 5) -> "3x5"."""
    size = _size(kernel_size)
    return size if "x" in size else f"{size}x{size}"


def _layer_steps(layer):
    """The steps one layer (or operation) adds to a plan: itself, then its activation."""
    kind = type(layer).__name__
    if kind in ("Conv2D", "Conv2DTranspose", "Conv1D", "Conv3D", "SeparableConv2D"):
        settings = [
            str(layer.filters),
            _kernel(layer.kernel_size),
            f"strides {_size(layer.strides)}",
            layer.padding,
        ]
        if not layer.use_bias:
            settings.append(_("no bias"))
        return [f"{kind}({', '.join(settings)})", _activation_step(layer.activation)]
    if kind == "Dense":
        settings = [str(layer.units)] + ([] if layer.use_bias else [_("no bias")])
        return [f"Dense({', '.join(settings)})", _activation_step(layer.activation)]
    if kind in ("LeakyReLU", "LeakyRelu"):  # the layer, or keras.ops.leaky_relu in a model
        return [f"LeakyReLU({_number(layer.negative_slope)})"]
    if kind == "ReLU":
        slope = float(getattr(layer, "negative_slope", 0.0) or 0.0)
        return [f"LeakyReLU({_number(slope)})" if slope else "ReLU"]
    if kind == "Activation":
        return [_activation_step(layer.activation)]
    if kind in ("Relu", "Sigmoid", "Tanh", "Softmax"):  # keras.ops activations as operations
        return [_ACTIVATIONS[kind.lower()]]
    if kind == "Dropout":
        return [f"Dropout({_number(layer.rate)})"]
    if kind == "Reshape":  # the layer, or keras.ops.reshape in a model (its `newshape`)
        shape = getattr(layer, "target_shape", None) or getattr(layer, "newshape", ())
        return [f"Reshape({tuple(shape)})"]
    if kind == "UpSampling2D":
        return [f"UpSampling2D({_size(layer.size)}, {layer.interpolation})"]
    if kind == "InputLayer":
        return []
    # A layer of the course's own (MaskedConv2D, say): its class and the settings it keeps.
    settings = [
        f"type {layer.mask_type}" if name == "mask_type" else str(getattr(layer, name))
        for name in ("mask_type", "filters", "units")
        if isinstance(getattr(layer, name, None), (str, int))
    ]
    if isinstance(getattr(layer, "kernel_size", None), (int, tuple, list)):
        settings.append(_kernel(layer.kernel_size))
    return [f"{kind}({', '.join(settings)})" if settings else kind]


def _is_plain(model):
    """Sequential and functional models: their layers run in the order listed."""
    return isinstance(model, keras.Sequential) or type(model).__name__ == "Functional"


def layer_plan(model):
    """The steps of a Sequential or functional model, nested ones included; None for a model
    whose order of layers is not known (a subclassed model anywhere inside)."""
    if not _is_plain(model):
        return None
    layers = model.layers if isinstance(model, keras.Sequential) else model.operations
    plan = []
    for layer in layers:
        if isinstance(layer, keras.Model):
            inner = layer_plan(layer)
            if inner is None:
                return None
            plan.extend(inner)
        else:
            plan.extend(step for step in _layer_steps(layer) if step)
    return plan


def upsampling_as_transposed(plan):
    """`plan` with each UpSampling2D(2) followed by a Conv2D of strides 1 written as the
    Conv2DTranspose of strides 2 it stands for (tables that allow either way)."""
    rewritten, i = [], 0
    while i < len(plan):
        step, following = plan[i], plan[i + 1] if i + 1 < len(plan) else ""
        if step.startswith("UpSampling2D(2,") and following.startswith("Conv2D("):
            settings = following[len("Conv2D(") : -1].split(", ")
            if len(settings) >= 4 and settings[2] == "strides 1":
                settings[2] = "strides 2"
                rewritten.append(f"Conv2DTranspose({', '.join(settings)})")
                i += 2
                continue
        rewritten.append(step)
        i += 1
    return rewritten


def _where(plan, index):
    if index > 0:
        return _("after {step}").format(step=plan[index - 1])
    return _("at the start")


def _sentences(changes, yours, table):
    """One sentence per change; a step that one change removes and another adds is moved."""
    removed = {tuple(table[i1:i2]): i1 for tag, i1, i2, _j1, _j2 in changes if tag == "delete"}
    added = {tuple(yours[j1:j2]): j1 for tag, _i1, _i2, j1, j2 in changes if tag == "insert"}
    sentences, moved = [], set(removed) & set(added)
    for tag, i1, i2, j1, j2 in changes:
        steps = tuple(table[i1:i2] if tag == "delete" else yours[j1:j2])
        if tag in ("delete", "insert") and steps in moved:
            if tag == "insert":  # said once, where the step now is
                sentences.append(
                    _("yours has {steps} {mine}; the table has it {theirs}").format(
                        steps=", ".join(steps),
                        mine=_where(yours, j1),
                        theirs=_where(table, removed[steps]),
                    )
                )
            continue
        mine, theirs = ", ".join(yours[j1:j2]), ", ".join(table[i1:i2])
        if tag == "replace":
            text = _("{where}, yours has {mine} where the table has {theirs}")
            sentences.append(text.format(where=_where(table, i1), mine=mine, theirs=theirs))
        elif tag == "delete":
            text = _("{where}, yours lacks the table's {theirs}")
            sentences.append(text.format(where=_where(table, i1), theirs=theirs))
        else:
            text = _("{where}, yours has {mine}, which the table does not")
            sentences.append(text.format(where=_where(yours, j1), mine=mine))
    return sentences


def _swapped_neighbours(yours, table):
    """(a, b) when `yours` is `table` with its neighbouring steps b, a swapped, else None."""
    if len(yours) != len(table):
        return None
    at = [i for i, (mine, theirs) in enumerate(zip(yours, table, strict=True)) if mine != theirs]
    if len(at) == 2 and at[1] == at[0] + 1 and yours[at[0]] == table[at[1]]:
        if yours[at[1]] == table[at[0]]:
            return yours[at[0]], yours[at[1]]
    return None


def _one_step_moved(changes, yours, table):
    """The changes are one step taken out in one place and put back in another."""
    kinds = sorted(tag for tag, *_rest in changes)
    if kinds != ["delete", "insert"]:
        return False
    removed = [table[i1:i2] for tag, i1, i2, _j1, _j2 in changes if tag == "delete"]
    added = [yours[j1:j2] for tag, _i1, _i2, j1, j2 in changes if tag == "insert"]
    return removed == added


def _positional(yours, table):
    """Opcodes replacing each run of positions where two plans of one length differ."""
    changes, start = [], None
    for i, (mine, theirs) in enumerate([*zip(yours, table, strict=True), (None, None)]):
        if mine != theirs and start is None:
            start = i
        elif mine == theirs and start is not None:
            changes.append(("replace", start, i, start, i))
            start = None
    return changes


def differences(yours, table, what=None, most=3):
    """A sentence naming the first differences of plan `yours` from plan `table` (the network
    `what`, "Your layers" by default); "" when either plan is unknown or they are the same."""
    if not yours or not table or list(yours) == list(table):
        return ""
    yours, table, what = list(yours), list(table), what or _("Your layers")
    swapped = _swapped_neighbours(yours, table)
    if swapped:
        first, second = swapped
        return _(
            "{what} differ from the table's: yours has {first} before {second}; the table has "
            "{second} before {first}."
        ).format(what=what, first=first, second=second)
    matcher = difflib.SequenceMatcher(a=table, b=yours, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if len(yours) == len(table) and not _one_step_moved(changes, yours, table):
        changes = _positional(yours, table)  # steps changed in place: say each where it is
    sentences = _sentences(changes, yours, table)
    shown = "; ".join(sentences[:most])
    if len(sentences) > most:
        shown += _("; and {count} more").format(count=len(sentences) - most)
    return _("{what} differ from the table's: {differences}.").format(what=what, differences=shown)
