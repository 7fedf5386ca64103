"""Record linkage: pair scoring, clustering and explanations. Pure Python: no Django here.

Name, place and date folding live below, in yurd.names.
"""
