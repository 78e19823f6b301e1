"""Admin pages: the users and their roles, and the status of the inbox, the failures and the index."""
from __future__ import annotations

import time
from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, url_for

from archive import ROLES, AccountError, ApiTokens
from indexer.pipeline import FailedFolder
from search_web.auth import accounts, current_user, requires, web_sessions
from search_web.services import library

bp = Blueprint("admin", __name__, url_prefix="/admin")
LISTED_FILES = 200


def _users_page(status: int = 200):
    return render_template("users.html", users=accounts().list(), roles=ROLES,
                           tokens=ApiTokens(library().catalog).list()), status


@bp.get("/users")
@requires("admin")
def users():
    return _users_page()


@bp.post("/users")
@requires("admin")
def change_users():
    """One action per form: add, role, password, logout (every session of the user), remove, or
    revoke_token (an API token)."""
    action = request.form.get("action", "")
    name = request.form.get("username", "").strip()
    me = current_user()
    try:
        if action == "add":
            accounts().add(name, request.form.get("role", ""), request.form.get("password", ""))
            flash(f"کاربر «{name}» افزوده شد.", "ok")
        elif action == "role":
            if name == me.name:
                raise AccountError("cannot change one's own role", "نقش خودتان را نمی‌توانید تغییر دهید.")
            accounts().set_role(name, request.form.get("role", ""))
            flash(f"نقش «{name}» تغییر کرد.", "ok")
        elif action == "password":
            accounts().set_password(name, request.form.get("password", ""))
            flash(f"گذرواژهٔ «{name}» تغییر کرد.", "ok")
        elif action == "logout":
            if accounts().get(name) is None:
                raise AccountError(f"no user {name!r}", "کاربری با این نام پیدا نشد.")
            ended = web_sessions().end_all(name)
            flash(f"همهٔ نشست‌های «{name}» ({ended}) بسته شد.", "ok")
        elif action == "revoke_token":
            ApiTokens(library().catalog).revoke(request.form.get("token", ""))
            flash(f"توکن «{request.form.get('token', '')}» باطل شد.", "ok")
        elif action == "remove":
            if name == me.name:
                raise AccountError("cannot remove oneself", "حساب خودتان را نمی‌توانید حذف کنید.")
            accounts().remove(name)
            flash(f"کاربر «{name}» حذف شد.", "ok")
        else:
            raise AccountError(f"unknown action {action!r}", "کار خواسته‌شده شناخته نیست.")
    except AccountError as exc:
        flash(exc.message_fa, "error")
        return _users_page(400)
    return redirect(url_for("admin.users"))


def _inbox_files(folder: Path) -> list[dict]:
    """The files waiting in the inbox (its sub-folders too), oldest first."""
    if not folder.is_dir():
        return []
    items = []
    now = time.time()
    for path in sorted(folder.rglob("*"), key=lambda p: p.stat().st_mtime if p.exists() else 0):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        st = path.stat()
        items.append({"name": str(path.relative_to(folder)), "size": st.st_size,
                      "age_min": int((now - st.st_mtime) // 60)})
        if len(items) >= LISTED_FILES:
            break
    return items


def _failed_files(folder: Path) -> list[dict]:
    """The failed files with their reasons, oldest first."""
    now = time.time()
    return [{"name": f.name, "size": f.size, "age_min": int((now - f.mtime) // 60), "reason_fa": f.reason_fa,
             "reason_en": f.reason} for f in reversed(FailedFolder(folder).files(LISTED_FILES))]


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


@bp.get("/status")
@requires("admin")
def status():
    lib = library()
    status = lib.status()
    return render_template(
        "status.html", status=status, inbox=_inbox_files(lib.config.inbox_dir),
        failed=_failed_files(lib.config.failed_dir), index_bytes=status.index_bytes,
        originals_bytes=_folder_size(lib.config.originals_dir), users=len(accounts().list()))
