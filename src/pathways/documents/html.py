"""A composed letter as HTML: the workspace's preview shows the fragment, and the PDF is
WeasyPrint's print of the whole page with the letter's own stylesheet (no request leaves the
machine: the stylesheet is read from this package)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..rules.letter_template import long_date
from .compose import Block, Letter, paragraphs

STYLESHEET = Path(__file__).with_name("letter.css")


def _paragraphs(found) -> str:
    return "".join("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in p.items) + "</ul>" if p.items
                   else f"<p>{escape(p.text)}</p>" for p in found)


def _block(block: Block) -> str:
    heading = f"<h2>{escape(block.heading)}</h2>" if block.heading else ""
    return (f'<section class="clause" id="clause-{escape(block.id)}" data-clause="{escape(block.id)}">{heading}'
            f"{_paragraphs(block.paragraphs)}</section>")


def fragment(letter: Letter) -> str:
    """The letter as an <article>, for a page to embed."""
    out = [f'<article class="letter" data-kind="{escape(letter.kind)}" data-version="{letter.version}">',
           '<header class="letterhead">' + "".join(
               f'<p class="{"institution" if i == 0 else "line"}">{escape(line)}</p>' for i, line in enumerate(letter.letterhead))
           + "</header>",
           f'<p class="date">{escape(long_date(letter.date))}</p>']
    if letter.addressee:
        out.append('<p class="addressee">' + "<br>".join(escape(line) for line in letter.addressee) + "</p>")
    out.append(f'<p class="subject"><strong>{escape(letter.subject)}</strong></p>')
    if letter.salutation:
        out.append(f'<p class="salutation">{escape(letter.salutation)}</p>')
    for text in letter.refusals:  # first, so that no one reads on as if it were certified
        out.append(f'<section class="refusal" role="alert"><h2>Not certified</h2>{_paragraphs(paragraphs(text))}</section>')
    out += [_block(b) for b in letter.blocks]
    if letter.signatures:
        out.append('<section class="signatures">' + "".join(
            f'<div class="signature"><p class="role">{escape(s.role)}</p><p class="line">Signature</p>'
            f'<p>{escape(s.name)}<br>{escape(s.title)}</p><p class="line">Date</p></div>' for s in letter.signatures)
            + "</section>")
    if letter.references:
        out.append('<section class="references"><h2>References</h2><ul>' + "".join(
            f"<li>{escape(r['label'])}: {escape(r['title'])} ({escape(r['address'])})</li>" for r in letter.references)
            + "</ul></section>")
    out.append(f'<footer class="issued">{escape(letter.name)}: template version {letter.version}, '
               f'knowledge base {escape(letter.knowledge)}.</footer>')
    out.append("</article>")
    return "\n".join(out)


def page(letter: Letter) -> str:
    """The whole HTML page, with the stylesheet inline: what WeasyPrint prints."""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(letter.subject)}</title>'
            f"<style>{STYLESHEET.read_text(encoding='utf-8')}</style></head><body>{fragment(letter)}</body></html>")


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"not fetched: {url}")


def pdf(letter: Letter) -> bytes:
    from weasyprint import HTML

    return HTML(string=page(letter), base_url="/", url_fetcher=_no_fetch).write_pdf()
