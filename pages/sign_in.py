"""Sign in with a password or the company's single sign-on."""

from ui.sign_in_form import render_sign_in

render_sign_in()
