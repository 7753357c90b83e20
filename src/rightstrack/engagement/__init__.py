"""A state's engagement with the UN human rights system: treaties, events, timeline (issue 6).

``instruments`` holds the 18 core instruments as code; ``treaty_import`` reads status files behind
the ``TreatyStatusImporter`` protocol; ``treaty_store`` writes them (one transaction per file, the
newest and most precise source winning); ``compare``, ``events`` and ``timeline`` answer questions;
``cli`` and ``api`` are the thin edges.
"""
