#!/usr/bin/env python3
# check-gettext-literals.py
#
# Copyright 2026 The CBM Desk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a user-visible literal in the UI escapes gettext:
#  - .ui files under src/: text properties without translatable="yes";
#  - .c files under src/ui and src/viewer: a fixed list of text setters called with a
#    string literal that is not wrapped in _(), C_(), N_(), NC_() or g_dgettext().
# Usage: check-gettext-literals.py SOURCE_ROOT

import os
import re
import sys
import xml.etree.ElementTree as ET

UI_PROPERTIES = {'label', 'title', 'subtitle', 'description', 'placeholder-text',
                 'tooltip-text', 'text'}

# setter -> indices of its user-visible text arguments ('odd>=N' = every second from N).
C_SETTERS = {
    'gtk_label_set_label': [1],
    'gtk_label_set_text': [1],
    'gtk_label_set_markup': [1],
    'gtk_button_set_label': [1],
    'adw_preferences_row_set_title': [1],
    'adw_action_row_set_subtitle': [1],
    'adw_status_page_set_title': [1],
    'adw_status_page_set_description': [1],
    'adw_toast_new': [0],
    'adw_toast_set_title': [1],
    'gtk_widget_set_tooltip_text': [1],
    'adw_message_dialog_new': [1, 2],
    'adw_message_dialog_set_heading': [1],
    'adw_message_dialog_set_body': [1],
    'adw_message_dialog_format_body': [1],
    'adw_message_dialog_add_response': [2],
    # (dialog, id, label, id, label, …, NULL): the labels are the even indices from 2.
    'adw_message_dialog_add_responses': 'every2from2',
    'gtk_string_list_append': [1],
    'adw_expander_row_set_subtitle': [1],
    'adw_window_title_set_title': [1],
    'adw_window_title_set_subtitle': [1],
    'gtk_window_set_title': [1],
    # (widget, PROPERTY, value, PROPERTY, value, …, -1)
    'gtk_accessible_update_property': 'every2from2',
}

# Genuine exceptions: 'path:setter:literal' with the reason.
ALLOW = {
}

GETTEXT_CALL = re.compile(r'\b(?:_|N_|C_|NC_|g_dgettext|g_dpgettext2|ngettext|g_dngettext)\s*\(')
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
FORMAT_SPEC = re.compile(r"%[-+ #0'I]*[0-9*]*(?:\.[0-9*]+)?(?:hh|h|ll|l|L|z|j|t)?[a-zA-Z%]")


def has_words(text):
    """True when @text has letters once format directives and escapes are gone."""
    text = FORMAT_SPEC.sub('', text)
    text = re.sub(r'\\.', '', text)
    return re.search(r'[^\W\d_]', text) is not None


def looks_like_icon(text):
    return re.fullmatch(r'[a-z0-9]+(?:-[a-z0-9]+)*-symbolic', text) is not None


def check_ui(path, rel, problems):
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        problems.append(f'{rel}: cannot parse: {e}')
        return
    for elem in tree.iter():
        if elem.tag not in ('property', 'attribute'):
            continue
        name = elem.get('name')
        if elem.tag == 'attribute' and name != 'label':
            continue
        if elem.tag == 'property' and name not in UI_PROPERTIES:
            continue
        text = (elem.text or '').strip()
        if not text or not has_words(text) or looks_like_icon(text):
            continue
        if elem.get('translatable') != 'yes':
            problems.append(f'{rel}: <{elem.tag} name="{name}"> "{text}" lacks translatable="yes"')


def strip_comments(src):
    """Blanks comments (keeping newlines and strings) so line numbers stay right."""
    out = []
    i = 0
    n = len(src)
    while i < n:
        c = src[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src.startswith('/*', i):
            j = src.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', src[i:j]))
            i = j
        elif src.startswith('//', i):
            j = src.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def split_args(src, start):
    """Top-level arguments of the call whose '(' is at @start, and where it ends."""
    args = []
    depth = 0
    i = start
    arg_start = start + 1
    while i < len(src):
        c = src[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < len(src) and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            i = j + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                args.append(src[arg_start:i])
                return args, i
        elif c == ',' and depth == 1:
            args.append(src[arg_start:i])
            arg_start = i + 1
        i += 1
    return args, len(src)


def remove_gettext_calls(arg):
    """The argument without the parts already handed to gettext."""
    while True:
        m = GETTEXT_CALL.search(arg)
        if m is None:
            return arg
        _, end = split_args(arg, m.end() - 1)
        arg = arg[:m.start()] + arg[end + 1:]


def check_c(path, rel, problems):
    with open(path, encoding='utf-8') as f:
        src = strip_comments(f.read())
    pattern = re.compile(r'\b(' + '|'.join(C_SETTERS) + r')\s*\(')
    for m in pattern.finditer(src):
        setter = m.group(1)
        args, _ = split_args(src, m.end() - 1)
        spec = C_SETTERS[setter]
        indices = range(2, len(args), 2) if spec == 'every2from2' else spec
        line = src.count('\n', 0, m.start()) + 1
        for index in indices:
            if index >= len(args):
                continue
            for lit in STRING.findall(remove_gettext_calls(args[index])):
                text = lit[1:-1]
                if not has_words(text):
                    continue
                if f'{rel}:{setter}:{text}' in ALLOW:
                    continue
                problems.append(f'{rel}:{line}: {setter} () gets the untranslated literal {lit}')


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: check-gettext-literals.py SOURCE_ROOT')
    root = sys.argv[1]
    problems = []
    n_ui = n_c = 0
    for top in ('src',):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if name.endswith('.ui'):
                    n_ui += 1
                    check_ui(path, rel, problems)
                elif name.endswith('.c') and (rel.startswith('src/ui/') or rel.startswith('src/viewer/')):
                    n_c += 1
                    check_c(path, rel, problems)
    if n_ui == 0 or n_c == 0:
        sys.exit(f'no sources found under {root} ({n_ui} .ui, {n_c} .c)')
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} user-visible literal(s) escape gettext', file=sys.stderr)
        return 1
    print(f'checked {n_ui} .ui and {n_c} .c files: every user-visible literal goes through gettext')
    return 0


if __name__ == '__main__':
    sys.exit(main())
