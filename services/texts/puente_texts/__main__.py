"""`python -m puente_texts`: per language, which message ids its catalogue lacks."""

from puente_texts import coverage

for entry in coverage():
    line = f"{entry.language}: {entry.translated}/{entry.total} translated"
    if entry.served_in:
        line += f", no catalogue: served in {entry.served_in} with an interpreter offered"
    print(line)
    for message_id in entry.missing if not entry.served_in else ():
        print(f"  missing {message_id}")
