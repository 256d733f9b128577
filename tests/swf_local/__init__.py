"""swf_local: a local Amazon SWF (moto 5.2.1 + cancellation) for swf-edge tests.

Modules:
    patches   -- monkeypatches moto's SWF backend in-process (``patches.apply()``)
    cors      -- WSGI middleware answering browser preflights
    server    -- launcher (``python3 tests/swf_local/server.py --port 0``)
    scenario  -- boto3 helper / CLI to prepare and inspect tasks

This file deliberately imports nothing, so importing ``swf_local.scenario`` does
not pay for importing moto.
"""
