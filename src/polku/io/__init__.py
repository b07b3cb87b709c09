"""Readers and writers: the workbook, RDF, the plan table, CPSV-AP, PTV, event logs, Neo4j and
the exchange formats; what comes in is checked here and leaves as a graph."""
