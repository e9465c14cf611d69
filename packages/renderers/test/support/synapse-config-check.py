# Loads Synapse config files with Synapse's own config classes, as each process would at start
# (homeserver.yaml alone for the main process, homeserver.yaml + a worker file for each worker),
# and prints what each process would do as one JSON object per line. Exit 1 on a ConfigError.
# Usage: python synapse-config-check.py <homeserver.yaml> [<worker.yaml> ...]
import json
import sys

from synapse.config._base import ConfigError
from synapse.config.homeserver import HomeServerConfig

STREAMS = ["events", "typing", "to_device", "account_data", "receipts", "presence",
           "push_rules", "device_lists", "quarantined_media_changes"]

failed = False
homeserver = sys.argv[1]
for extra in [None] + sys.argv[2:]:
    args = ["-c", homeserver] + ([] if extra is None else ["-c", extra])
    try:
        config = HomeServerConfig.load_config("", args)
    except ConfigError as error:
        failed = True
        print(json.dumps({"file": extra or homeserver, "error": str(error), "path": list(getattr(error, "path", None) or [])}))
        continue
    worker = config.worker
    name = worker.instance_name
    listeners = worker.worker_listeners if extra is not None else config.server.listeners
    print(json.dumps({
        "file": extra or homeserver,
        "instance": name,
        "app": worker.worker_app,
        "sends_federation": worker.send_federation,
        "pushes": worker.start_pushers,
        "background_tasks": worker.run_background_tasks,
        "user_directory": worker.should_update_user_directory,
        "appservices": worker.should_notify_appservices,
        "media_repo": config.media.can_load_media_repo,
        "writes": [s for s in STREAMS if name in getattr(worker.writers, s)],
        "instance_map": sorted(worker.instance_map.keys()),
        "replication_secret": worker.worker_replication_secret is not None,
        "resources": sorted({n for l in listeners for r in (l.http_options.resources if l.http_options else []) for n in r.names}),
    }))
sys.exit(1 if failed else 0)
