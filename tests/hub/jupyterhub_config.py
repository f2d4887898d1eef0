# A throw-away JupyterHub for tests/test_hub.py: two learners on one machine, no real users.
#
# The test starts `jupyterhub -f tests/hub/jupyterhub_config.py` in a temporary folder and
# passes everything that changes between runs in BC_HUB_* environment variables. Nothing
# here is fit for a real hub: one shared password, and every learner's server runs as the
# hub's own system user (SimpleLocalProcessSpawner), with a home folder of its own.
import os

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

here = os.environ["BC_HUB_DIR"]
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ["BC_HUB_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ["BC_HUB_API_PORT"])
c.JupyterHub.db_url = f"sqlite:///{here}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{here}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{here}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

c.ConfigurableHTTPProxy.command = [os.environ["BC_HUB_PROXY"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['BC_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.pid_file = f"{here}/proxy.pid"

users = set(os.environ["BC_HUB_USERS"].split(","))
try:  # JupyterHub >= 5.3: a shared password has its own authenticator
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

    c.JupyterHub.authenticator_class = SharedPasswordAuthenticator
    c.SharedPasswordAuthenticator.user_password = os.environ["BC_HUB_PASSWORD"]
except ImportError:
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["BC_HUB_PASSWORD"]
c.Authenticator.allowed_users = users

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = f"{here}/home/{{username}}"
c.Spawner.cmd = [os.environ["BC_HUB_SINGLEUSER"]]
c.Spawner.args = ["--allow-root"]  # containers often run everything as root
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {"MPLBACKEND": "Agg"}

# `make bench-hub` (benchmarks/hub_class.py) drives the learners through the REST API with a
# service token, and gives slow spawns more time when a whole class starts at once.
if os.environ.get("BC_HUB_API_TOKEN"):
    c.JupyterHub.services = [{"name": "class-bench", "api_token": os.environ["BC_HUB_API_TOKEN"]}]
    c.JupyterHub.load_roles = [
        {
            "name": "class-bench",
            "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"],
            "services": ["class-bench"],
        }
    ]
    c.Spawner.start_timeout = int(os.environ.get("BC_HUB_START_TIMEOUT", "600"))
    c.Spawner.http_timeout = int(os.environ.get("BC_HUB_START_TIMEOUT", "600"))
    c.JupyterHub.concurrent_spawn_limit = 0  # a class starts together
