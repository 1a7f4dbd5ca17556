"""Each variant's equations as LaTeX in the notes' notation, what differs from the plain LSTM in colour.

Pure functions: a variant in, a list of (label, LaTeX) lines out, for st.latex (KaTeX). A changed
part is wrapped by `changed`: bold, in the variant's colour (ui/variants/words.COLORS), so the
difference reads at a glance and a test can find it.
"""
from lstm_core.variants import PLAIN
from ui.variants.words import COLORS

HX = r"[h_{t-1}, x_t]"


def changed(tex, variant):
    """`tex` marked as different from the plain LSTM: bold, in `variant`'s colour."""
    return rf"\textcolor{{{COLORS[variant]}}}{{\boldsymbol{{{tex}}}}}"


def _gate(g, W, b, extra="", squash=r"\sigma", lhs=None, read=HX):
    """lhs = squash(W · [h_{t-1}, x_t] extra + b)."""
    return rf"{lhs or g} = {squash}({W} \cdot {read}{extra} + {b})"


def lstm_lines(peep=None, coupled=None, sup="", read=HX):
    """The six LSTM lines; `peep` or `coupled` (a variant name) marks its change. `sup` is a layer's
    superscript, `read` what the gates read."""
    def w(name):
        return f"W^{{{sup}}}_{name}" if sup else f"W_{name}"

    def b(name):
        return f"b^{{{sup}}}_{name}" if sup else f"b_{name}"
    s = f"^{{{sup}}}" if sup else ""
    c_prev, c_t = f"C{s}_{{t-1}}", f"C{s}_t"
    peep_f = " + " + changed(rf"p_f \odot {c_prev}", peep) if peep else ""
    peep_i = " + " + changed(rf"p_i \odot {c_prev}", peep) if peep else ""
    peep_o = " + " + changed(rf"p_o \odot {c_t}", peep) if peep else ""
    i_line = (rf"i{s}_t = " + changed(rf"1 - f{s}_t", coupled) if coupled
              else _gate("i", w("i"), b("i"), peep_i, lhs=f"i{s}_t", read=read))
    return [
        ("forget gate", _gate("f", w("f"), b("f"), peep_f, lhs=f"f{s}_t", read=read)),
        ("input gate", i_line),
        ("candidate", _gate("c", w("c"), b("c"), squash=r"\tanh", lhs=rf"\tilde{{C}}{s}_t", read=read)),
        ("cell state", rf"{c_t} = f{s}_t \odot {c_prev} + i{s}_t \odot \tilde{{C}}{s}_t"),
        ("output gate", _gate("o", w("o"), b("o"), peep_o, lhs=f"o{s}_t", read=read)),
        ("hidden state", rf"h{s}_t = o{s}_t \odot \tanh({c_t})"),
    ]


def gru_engine_lines():
    """The GRU as the engine (and torch) computes it; the reset gate's place and the coupled update
    are marked."""
    v = "gru"
    return [
        ("reset gate", _gate("r", "W_r", "b_r", lhs="r_t")),
        ("update gate", _gate("z", "W_z", "b_z", lhs="z_t")),
        ("candidate", r"n_t = \tanh(W_{nx} x_t + b_{in} \\ &\qquad + "
                      + changed(r"r_t \odot (W_{nh} h_{t-1} + b_{hn})", v) + ")"),
        ("hidden state", "h_t = " + changed(r"(1 - z_t)", v) + r" \odot n_t + "
                         + changed(r"z_t \odot h_{t-1}", v)),
    ]


def gru_original_line():
    """The candidate as Cho et al. (2014) wrote it: the reset gate scales h_{t-1} before the product."""
    return ("candidate (Cho et al., 2014)",
            r"n_t = \tanh(W_n \cdot [" + changed(r"r_t \odot h_{t-1}", "gru") + r", x_t] + b_n)")


def stacked_lines():
    """Layer 1 is the plain LSTM; layer 2's gates read [h²_{t-1}, h¹_t] instead of [h_{t-1}, x_t]."""
    read = "[h^{2}_{t-1}, " + changed("h^{1}_t", "stacked") + "]"
    top = lstm_lines(sup="2", read=read)
    return [("layer 1: the plain cell", r"h^{1}_t, C^{1}_t = \mathrm{LSTM}(x_t,\ h^{1}_{t-1}, C^{1}_{t-1})")] + top


def bidirectional_lines():
    """A forward cell over x_1..x_T, a backward cell over x_T..x_1, and the joined output."""
    v = "bidirectional"
    fwd, bwd = r"\overrightarrow{h}", r"\overleftarrow{h}"
    return [
        ("forward: the plain cell", rf"{fwd}_t = \mathrm{{LSTM}}_{{\rightarrow}}(x_t,\ {fwd}_{{t-1}})"),
        ("backward: its own weights", rf"{bwd}_t = "
         + changed(rf"\mathrm{{LSTM}}_{{\leftarrow}}(x_t,\ {bwd}_{{t+1}})", v)),
        ("output: 2H features", r"y_t = " + changed(rf"[{fwd}_t,\ {bwd}_t]", v)),
    ]


def lines(variant):
    """The (label, LaTeX) lines of `variant` or of the plain LSTM (PLAIN)."""
    if variant == PLAIN:
        return lstm_lines()
    if variant == "peephole":
        return lstm_lines(peep=variant)
    if variant == "coupled":
        return lstm_lines(coupled=variant)
    if variant == "gru":
        return gru_engine_lines()
    if variant == "stacked":
        return stacked_lines()
    return bidirectional_lines()


def block(lines_):
    """(label, LaTeX) lines as one aligned KaTeX block: the equations aligned at their first '=', each
    labelled on its right."""
    rows = []
    for label, tex in lines_:
        lhs, rhs = tex.split(" = ", 1)
        rows.append(rf"{lhs} &= {rhs} \quad \scriptsize\text{{{label}}}")
    return r"\begin{aligned}" + r" \\[2pt] ".join(rows) + r"\end{aligned}"
