"""The cell's equations as LaTeX, with one hidden unit's live numbers plugged in.

Every result on the right-hand side is read from the trace, so the page shows the engine's own
numbers; the pre-activations inside sigma(.) and tanh(.) come from lstm_core.reference.lstm_step,
the one-line-per-equation cell that tests prove equal to the fast one.
"""
from lstm_core import STEP_FIELDS, lstm_step


def step_inputs(trace, t):
    """x_t (I,), h_{t-1} (H,) and c_{t-1} (H,) of an unbatched trace; h0 and c0 at t = 0."""
    if not trace.unbatched:
        raise ValueError("the cell view shows one sequence: pass an unbatched (T, I) trace")
    T = trace.h.shape[0]
    if not 0 <= t < T:
        raise ValueError(f"step t must be in 0..{T - 1}, got {t}")
    x_t = trace.xs[t, 0]  # (I,)
    h_prev = trace.h0[0] if t == 0 else trace.h[t - 1]  # (H,)
    c_prev = trace.c0[0] if t == 0 else trace.c[t - 1]  # (H,)
    return x_t, h_prev, c_prev


def check_unit(trace, unit):
    """Raise ValueError unless `unit` indexes a hidden unit of the trace."""
    H = trace.h.shape[-1]
    if not 0 <= unit < H:
        raise ValueError(f"unit must be in 0..{H - 1}, got {unit}")


def preactivations(params, trace, t):
    """Dict gate ('f', 'i', 'c_tilde', 'o') -> (H,) argument of its sigma or tanh at step t.

    Computed by the readable step of lstm_core.reference from the trace's own h_{t-1}, C_{t-1}
    and x_t: the page's equations are the engine's reference equations, not a copy of them.
    """
    x_t, h_prev, c_prev = step_inputs(trace, t)
    if h_prev.shape[0] != params.hidden_size or x_t.shape[0] != params.input_size:
        raise ValueError("the parameters and the trace describe cells of different sizes")
    step = lstm_step(params, x_t, h_prev, c_prev)
    return {"f": step.z_f, "i": step.z_i, "c_tilde": step.z_c, "o": step.z_o}


def num(v):
    """A number with 3 decimals; never a negative zero."""
    s = f"{float(v):.3f}"
    return "0.000" if s == "-0.000" else s


def _factor(v):
    """A number ready to be multiplied: negative ones in parentheses."""
    s = num(v)
    return f"({s})" if s.startswith("-") else s


def _plus(v):
    """'+ 0.100' or '- 0.100': the second term of a sum."""
    s = num(v)
    return f"- {s[1:]}" if s.startswith("-") else f"+ {s}"


def _gate_line(lhs, squash, w, peep, z, value):
    """One gate's equation: lhs = squash(W . [h, x] (+ p C) + b) = squash(z) = value."""
    peep_term = f" + p_{w} {peep}" if peep else ""
    return (f"{lhs} = {squash}(W_{w} \\cdot [h_{{t-1}}, x_t]{peep_term} + b_{w})"
            f" = {squash}({num(z)}) = {num(value)}")


def equations_latex(params, trace, t, unit=0):
    """Six LaTeX strings (f, i, C~, C, o, h) with unit `unit`'s numbers at step t plugged in."""
    check_unit(trace, unit)
    z = {g: a[unit] for g, a in preactivations(params, trace, t).items()}
    c_prev = step_inputs(trace, t)[2][unit]
    f, i, g, o, c, h = (getattr(trace, k)[t, unit] for k in STEP_FIELDS)
    tanh_c = trace.tanh_c[t, 0, unit]
    peep = params.peephole
    return [
        _gate_line("f_t", "\\sigma", "f", "C_{t-1}" if peep else "", z["f"], f),
        _gate_line("i_t", "\\sigma", "i", "C_{t-1}" if peep else "", z["i"], i),
        _gate_line("\\tilde{C}_t", "\\tanh", "c", "", z["c_tilde"], g),
        (f"C_t = f_t C_{{t-1}} + i_t \\tilde{{C}}_t = {_factor(f)} \\cdot {_factor(c_prev)}"
         f" + {_factor(i)} \\cdot {_factor(g)} = {num(f * c_prev)} {_plus(i * g)} = {num(c)}"),
        _gate_line("o_t", "\\sigma", "o", "C_t" if peep else "", z["o"], o),
        (f"h_t = o_t \\tanh(C_t) = {_factor(o)} \\cdot \\tanh({num(c)})"
         f" = {_factor(o)} \\cdot {_factor(tanh_c)} = {num(h)}"),
    ]
