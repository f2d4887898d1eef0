"""The links that open the course with nothing installed: Binder (JupyterLab or the Voila
app) and a JupyterHub's nbgitpuller link."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

START_NOTEBOOK = "notebooks/00_start_here.ipynb"
APP_NOTEBOOK = "notebooks/app_routine_builder.ipynb"


def launch_links(
    repo: str, *, branch: str = "main", hub: str | None = None, notebook: str = START_NOTEBOOK
) -> dict[str, str]:
    """The links that open the course with nothing installed.

    Parameters
    ----------
    repo
        Where the course's git repository lives, e.g. ``https://github.com/OWNER/REPO``.
    branch
        The branch to open.
    hub
        A JupyterHub's address (``https://hub.example.org``), for the nbgitpuller link.
    notebook
        The notebook JupyterLab opens, relative to the repository (e.g. the lesson of the
        day); the start notebook by default.

    Returns
    -------
    dict
        ``binder_lab`` (JupyterLab at the notebook), ``binder_app`` (the routine builder as a
        Voila app) and, with a hub, ``nbgitpuller`` (each learner gets their own copy of the
        course on the hub, brought up to date on every click without losing their changes).
    """
    parts = urlsplit(repo)
    path = parts.path.strip("/").removesuffix(".git")
    if parts.netloc == "github.com" and path.count("/") == 1:
        binder = f"https://mybinder.org/v2/gh/{path}/{branch}"
    else:
        binder = f"https://mybinder.org/v2/git/{quote(repo, safe='')}/{branch}"
    links = {
        "binder_lab": f"{binder}?urlpath=lab/tree/{notebook}",
        "binder_app": f"{binder}?urlpath=voila/render/{APP_NOTEBOOK}",
    }
    if hub is not None:
        folder = path.rsplit("/", 1)[-1] or "course"
        query = urlencode(
            {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{notebook}"},
            safe="/:",  # readable, and still a valid query
        )
        links["nbgitpuller"] = f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
    return links
