"""Exchange Pathways: which visa and California authorization let a person train hands-on.

Importing the package does nothing: knowledge is loaded where the program starts
(`pathways.rules.loader.load_knowledge`) and passed in.
"""

__version__ = "0.1.0"
