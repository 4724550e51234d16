"""LaTeX math as plain text for the search index: ``\\lambda_{\\max}`` → ``λ_max``.

Search results show excerpts of the page's text. Arithmatex leaves each formula in the HTML as
``\\(…\\)`` for KaTeX to render in the browser; indexed as it is, an excerpt would show the raw
source. The index gets this text instead (see ``garden.site_search.math_as_text``). It is for
reading and matching words, not typesetting: Greek letters and common symbols become Unicode,
style commands keep their argument, ``\\frac{a}{b}`` becomes ``a/b``, scripts keep ``^``/``_``.
"""

from __future__ import annotations

import re

_GREEK = (
    "alpha α beta β gamma γ delta δ epsilon ϵ varepsilon ε zeta ζ eta η theta θ vartheta ϑ "
    "iota ι kappa κ lambda λ mu μ nu ν xi ξ pi π varpi ϖ rho ρ varrho ϱ sigma σ varsigma ς "
    "tau τ upsilon υ phi ϕ varphi φ chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ "
    "Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω"
)
_SYMBOLS_TEXT = (
    "in ∈ notin ∉ ni ∋ infty ∞ le ≤ leq ≤ ge ≥ geq ≥ neq ≠ ne ≠ ll ≪ gg ≫ times × cdot · "
    "cdots … ldots … dots … vdots ⋮ ddots ⋱ to → rightarrow → leftarrow ← gets ← Rightarrow ⇒ "
    "Leftarrow ⇐ iff ⇔ Leftrightarrow ⇔ leftrightarrow ↔ mapsto ↦ implies ⇒ pm ± mp ∓ "
    "sum ∑ prod ∏ int ∫ oint ∮ partial ∂ nabla ∇ approx ≈ sim ∼ simeq ≃ cong ≅ propto ∝ "
    "equiv ≡ otimes ⊗ oplus ⊕ subset ⊂ subseteq ⊆ supset ⊃ supseteq ⊇ cap ∩ cup ∪ "
    "forall ∀ exists ∃ neg ¬ land ∧ lor ∨ wedge ∧ vee ∨ ell ℓ hbar ℏ langle ⟨ rangle ⟩ "
    "mid | Vert ‖ ast * star ⋆ circ ∘ bullet • emptyset ∅ varnothing ∅ setminus ∖ perp ⊥ "
    "parallel ∥ top ⊤ bot ⊥ dagger † prime ′ deg ° angle ∠ triangle △ Box □ sqrt √ "
    "lfloor ⌊ rfloor ⌋ lceil ⌈ rceil ⌉ leqslant ≤ geqslant ≥ lesssim ≲ gtrsim ≳ "
    "preceq ⪯ succeq ⪰ prec ≺ succ ≻"
)


def _pairs(text: str) -> dict[str, str]:
    words = text.split(" ")
    return dict(zip(words[::2], words[1::2], strict=True))


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


SYMBOLS: dict[str, str] = _pairs(_GREEK + " " + _SYMBOLS_TEXT)
SYMBOLS |= {"quad": " ", "qquad": " ", "|": "‖", ",": " ", ";": " ", ":": " ", "!": "", " ": " "}
SYMBOLS |= {"\\": " ", "{": "{", "}": "}", "%": "%", "&": "&", "_": "_", "#": "#", "$": ""}
# Named functions and operators: shown as their name.
WORDS = _names(
    "max min log ln exp sin cos tan sinh cosh tanh arg det dim ker lim sup inf liminf limsup "
    "Pr tr Tr rank diag sgn sign var Var Cov argmax argmin mod gcd"
)
_BLACKBOARD = dict(zip("CNPQRZEH", "ℂℕℙℚℝℤ𝔼ℍ", strict=True))
# Commands whose one argument is shown as it is (fonts, accents, text).
KEEP_ARGUMENT = _names(
    "mathrm mathbf mathit mathsf mathtt mathcal mathscr mathfrak boldsymbol bm text textrm "
    "textbf textit textsf texttt textnormal mbox operatorname vec hat bar tilde widehat "
    "widetilde overline underline dot ddot check breve mathring emph pmb"
)
# Commands shown as nothing (sizes, spacing, style switches); their argument, if any, stays.
DROPPED = _names(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr middle bf sf rm "
    "it tt cal displaystyle textstyle scriptstyle limits nolimits nonumber notag label "
    "begin end mathop mathrel mathbin mathord"
)
FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac", "binom"})

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\\$|.", re.S)


def tex_to_text(tex: str) -> str:
    """Readable plain text for a formula's TeX source (no delimiters, no backslashes)."""
    tokens = _TOKEN.findall(tex)
    text, _ = _sequence(tokens, 0, closing=False)
    return " ".join(text.replace("\\", "").split())


def _sequence(tokens: list[str], i: int, *, closing: bool) -> tuple[str, int]:
    parts: list[str] = []
    while i < len(tokens):
        if tokens[i] == "}":
            if closing:
                return "".join(parts), i + 1
            i += 1  # an unbalanced brace: dropped
            continue
        text, i = _atom(tokens, i)
        parts.append(text)
    return "".join(parts), i


def _argument(tokens: list[str], i: int) -> tuple[str, int]:
    """The next atom, after any spaces (``x^ 2``, ``\\frac 12``)."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens):
        return "", i
    text, i = _atom(tokens, i)
    return text.strip(), i


def _grouped(text: str) -> str:
    return text if len(text) <= 1 or text.isalnum() else f"({text})"


def _atom(tokens: list[str], i: int) -> tuple[str, int]:
    token = tokens[i]
    i += 1
    if token == "{":
        text, i = _sequence(tokens, i, closing=True)
        return text.strip(), i
    if token in ("^", "_"):
        argument, i = _argument(tokens, i)
        return token + _grouped(argument), i
    if token == "&" or token == "~":
        return " ", i
    if not token.startswith("\\") or len(token) == 1:
        return token, i
    name = token[1:].rstrip("*")
    if name == "mathbb":
        argument, i = _argument(tokens, i)
        return "".join(_BLACKBOARD.get(c, c) for c in argument), i
    if name in KEEP_ARGUMENT:
        return _argument(tokens, i)
    if name in FRACTIONS:
        top, i = _argument(tokens, i)
        bottom, i = _argument(tokens, i)
        return f"{_grouped(top)}/{_grouped(bottom)}", i
    if name == "sqrt":
        argument, i = _argument(tokens, i)
        return "√" + _grouped(argument), i
    if name in ("begin", "end"):  # environment names: not text
        _, i = _argument(tokens, i)
        return " ", i
    if name in DROPPED:
        return "", i
    if name in SYMBOLS:
        return SYMBOLS[name], i
    if name in WORDS:
        return f" {name} ", i
    return name if name.isalpha() else "", i
