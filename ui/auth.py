"""Who is using the app: OIDC (``st.login``), the local users file, or nobody (localhost).

- A deployment with an ``[auth]`` section in ``.streamlit/secrets.toml`` signs people in
  through its identity provider; the users file (``POCMAP_USERS``) gives each email its
  role and office. An email not in it is refused.
- Otherwise, when the users file has users, a name and password form checks them
  (argon2 hashes).
- With no users at all, access control is off: the app serves this machine only
  (requests from elsewhere are refused) and says so on every page.
"""

from __future__ import annotations

import getpass

import streamlit as st

from access import sign_ins
from access import users as users_file
from access.roles import ANALYST, ROLE_LABELS, Caller
from access.session import Session
from languages import _
from ui import local_mode
from ui.text import md

_SIGNED_IN = "pocmap_caller"
_RECORDED = "pocmap_sign_in_recorded"


def local_caller() -> Caller:
    """The one person at this machine when access control is off: an analyst."""
    # The name is an identity (kept in the audit log), so it stays as written here;
    # :func:`show` says it in the person's language.
    return Caller(f"{getpass.getuser()} (this machine)", ANALYST)


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False
    except Exception:  # a malformed secrets file: say so rather than serve unprotected
        st.error(_("`.streamlit/secrets.toml` cannot be read; fix it to sign in."))
        st.stop()


def _local_refusal() -> str | None:
    # Local mode serves this machine only: the Host must be a loopback name (no DNS
    # rebinding) and the address this machine's, forwarding headers believed only from
    # POCMAP_TRUSTED_PROXY. `pocmap serve` also binds to localhost only and sets
    # server.allowedHosts while no users are configured (docs/local-mode.md).
    return local_mode.refusal()


def _oidc(users: users_file.Users) -> Caller:
    if not st.user.is_logged_in:
        st.title(_("pocmap"))
        st.write(_("Sign in with your mission account to see the joint map."))
        st.button(_("Sign in"), on_click=st.login, type="primary", key="auth_login")
        st.stop()
    email = str(st.user.get("email") or "")
    caller = users.for_oidc(email)
    if caller is None:
        _audit_oidc_refusal(email)
        st.error(
            _(
                "{account} is signed in but has no role in pocmap; ask an admin to add it "
                "with `pocmap users add EMAIL --role ROLE --oidc`.",
                account=md(email) if email else _("This account"),
            )
        )
        st.button(_("Sign out"), on_click=st.logout, key="auth_logout_unknown")
        st.stop()
    return caller


def _password(users: users_file.Users) -> Caller:
    caller = st.session_state.get(_SIGNED_IN)
    if caller is not None and users.for_name(caller.name) == caller:
        return caller
    st.session_state.pop(_SIGNED_IN, None)  # removed or changed since: sign in again
    st.title(_("pocmap"))
    with st.form("auth_form"):
        name = st.text_input(_("Name"), key="auth_name", max_chars=64)
        password = st.text_input(_("Password"), type="password", key="auth_password")
        sent = st.form_submit_button(_("Sign in"), type="primary")
    if sent:
        outcome = sign_ins.attempt(_store(), users, name, password, _client_address())
        if outcome.caller is None:
            st.error(outcome.message)
        else:
            st.session_state[_SIGNED_IN] = outcome.caller
            st.session_state.pop(_RECORDED, None)
            st.rerun()
    st.stop()


# --- sign-in guard and refusals (issue 18) ----------------------------------------------
_OIDC_REFUSED = "pocmap_oidc_refusal_recorded"


def _store():
    # The store the page's session is opened on (``ui.data.store``, one per process);
    # taken here rather than passed down so that ``signed_in`` stays as it is.
    from ui.data import store

    return store()


def _client_address() -> str | None:
    """The browser's address as the server sees it; ``None`` for this machine (Streamlit
    gives no address for a loopback client), which only the per-name limit then covers."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def _audit_oidc_refusal(email: str) -> None:
    # Once per browser session and email: the page reruns on every click.
    if st.session_state.get(_OIDC_REFUSED) == email:
        return
    sign_ins.record_refused(
        _store(), email or "(no email)", _client_address(), sign_ins.NO_ROLE, method="oidc"
    )
    st.session_state[_OIDC_REFUSED] = email


def signed_in(store) -> Session:
    """The session of whoever uses this page; shows the sign-in and stops the page until
    someone is signed in. Draws nothing once they are (see :func:`show`)."""
    users = users_file.load()
    if _oidc_configured():
        caller, method = _oidc(users), "oidc"
    elif users.configured():
        caller, method = _password(users), "password"
    else:
        refused = _local_refusal()
        if refused:
            st.error(md(refused), icon=":material/block:")
            st.stop()
        caller, method = local_caller(), None
    session = Session(store, caller)
    session.sign_in_method = method
    if method and st.session_state.get(_RECORDED) != caller:
        session.record_sign_in(method)
        st.session_state[_RECORDED] = caller
    return session


def show(session: Session) -> None:
    """Who is signed in (sidebar, with a sign-out button) and, when access control is
    off, the banner saying so. Once per page run."""
    caller, method = session.caller, session.sign_in_method
    if method is None:
        st.warning(
            _(
                "Access control is off: no users are configured, so pocmap serves this "
                "machine only and you act as an analyst. `pocmap users add NAME --role admin` "
                "turns it on."
            ),
            icon=":material/lock_open:",
        )
    name = caller.name
    if method is None:
        name = _("{user} (this machine)", user=getpass.getuser())
    with st.sidebar:
        st.markdown(
            _("Signed in as **{name}**: {role}", name=md(name), role=md(ROLE_LABELS[caller.role]))
        )
        if method == "oidc":
            st.button(_("Sign out"), on_click=st.logout, key="auth_logout")
        elif method == "password" and st.button(_("Sign out"), key="auth_logout"):
            st.session_state.pop(_SIGNED_IN, None)
            st.session_state.pop(_RECORDED, None)
            st.rerun()
