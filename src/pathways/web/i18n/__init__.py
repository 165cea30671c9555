"""Languages of the public pages (issue 15): English (authoritative), French, Spanish,
Portuguese and Arabic (right to left). The language comes from the address (`?lang=fr`), else
the one chosen before (a cookie the switch sets), else the browser's Accept-Language; the
interface's strings go through Django's translation machinery (locale/), the knowledge base's
texts through the engine's translations (knowledge/i18n/), English where none is current."""
