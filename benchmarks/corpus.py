"""Deterministic benchmark corpora built by recombining the paragraphs of the bundled `examples/`.

Every value in the examples is fake (example.com, 555-01xx, fictional people), so the generated
corpus is too. The same arguments always give the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONLL_DEV = REPO.parent / "shared" / "eval" / "conll2003-dev.conll"  # public eval data, read in place
EXAMPLES = REPO / "examples"
SEED = 20261125


def paragraphs(examples: Path = EXAMPLES) -> list[str]:
    """Blank-line separated paragraphs of every example file, in sorted path order."""
    found = []
    for path in sorted(p for p in examples.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        found += [p.strip() for p in text.split("\n\n") if p.strip()]
    return found


def document(rng: random.Random, pool: list[str], target: int) -> str:
    """Paragraphs drawn from `pool` until the text reaches `target` characters."""
    parts: list[str] = []
    size = 0
    while size < target:
        part = rng.choice(pool)
        parts.append(part)
        size += len(part) + 2
    return "\n\n".join(parts) + "\n"


def build(folder: Path, small: int = 300, medium: int = 10, seed: int = SEED) -> Path:
    """`small` documents of 2-5 KB and `medium` documents of about 50 KB under `folder`."""
    rng = random.Random(seed)
    pool = paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(small):
        text = document(rng, pool, rng.randint(2_000, 5_000))
        (folder / f"small-{index:04d}.txt").write_text(text, encoding="utf-8")
    for index in range(medium):
        text = document(rng, pool, 50_000)
        (folder / f"medium-{index:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def conll_articles(path: Path) -> list[str]:
    """Articles of a CoNLL file rebuilt as text (eval/README.md protocol: tokens joined by spaces,
    sentences by newlines). For public evaluation data read in place, never copied into the repo."""
    articles: list[list[str]] = []
    sentence: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        token = line.split(" ")[0].split("\t")[0]
        if token == "-DOCSTART-":
            articles.append([])
        elif token:
            sentence.append(token)
        elif sentence:
            if not articles:
                articles.append([])
            articles[-1].append(" ".join(sentence))
            sentence = []
    return ["\n".join(a) + "\n" for a in articles if a]


def build_news(folder: Path, conll: Path, copies: int = 4) -> dict[str, Path]:
    """Real news in two groups: consecutive articles joined into documents of 2-5 KB, and the same
    articles joined into documents of about 50 KB. The article set is small (about 0.28 MB), so each
    group holds it `copies` times under different names, for timings long enough to read."""
    articles = conll_articles(conll)
    groups = {}
    for name, target in (("news-small", 2_000), ("news-medium", 50_000)):
        groups[name] = folder / name
        groups[name].mkdir(parents=True, exist_ok=True)
        for index, text in enumerate(_joined(articles, target) * copies):
            (groups[name] / f"{name}-{index:04d}.txt").write_text(text, encoding="utf-8")
    return groups


def _joined(articles: list[str], target: int) -> list[str]:
    docs: list[list[str]] = [[]]
    for article in articles:
        if sum(map(len, docs[-1])) >= target:
            docs.append([])
        docs[-1].append(article)
    return ["\n".join(d) for d in docs if d]


def stream_large(size: int, seed: int = SEED, pool: list[str] | None = None) -> Iterator[str]:
    """About `size` characters of recombined paragraphs (of `pool`, default the examples' paragraphs),
    yielded in pieces (never all in memory)."""
    rng = random.Random(seed)
    pool = pool or paragraphs()
    written = 0
    while written < size:
        piece = document(rng, pool, min(1_000_000, size - written)) + "\n"
        written += len(piece)
        yield piece


def write_large(path: Path, size: int, seed: int = SEED, pool: list[str] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for piece in stream_large(size, seed, pool):
            handle.write(piece)
    return path
