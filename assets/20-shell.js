/* The page shell's browser-side parts (dashapp/ui/shell.py): copying the shared link, the
   "More filters" and phone menu toggles, the active section kept in view, and typed dates. */
(function () {
    "use strict";

    /* Copy `text`; true when the browser took it. The async Clipboard API first, then the
       older copy command (which some browsers still allow where the API is refused). */
    async function copyText(text) {
        if (navigator.clipboard && window.isSecureContext) {
            try {
                await navigator.clipboard.writeText(text);
                return true;
            } catch (err) {
                /* refused (no permission, page not focused): try the other way */
            }
        }
        const area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        let copied = false;
        try {
            copied = document.execCommand("copy");
        } catch (err) {
            copied = false;
        }
        area.remove();
        return copied;
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        salesPulse: {
            /* "Copy link" copies the address as it is; "Copy with these exact dates" the same
               view pinned to the dates shown now (`exact`, a query string from the server). */
            copyLink: async function (_plain, _exact, exact) {
                const pinned = window.dash_clientside.callback_context.triggered_id === "copy-exact";
                const noUpdate = window.dash_clientside.no_update;
                if (pinned && !exact) {
                    return [noUpdate, noUpdate];
                }
                const url = pinned
                    ? window.location.origin + window.location.pathname + exact
                    : window.location.href;
                const copied = await copyText(url);
                const what = pinned ? "Link with these exact dates copied" : "Link copied";
                const status = copied
                    ? "✓ " + what
                    : "The browser did not allow copying: select the link below and copy it.";
                return [status, url];
            },

            /* Open or close a folded part (class "open"); the second output is aria-expanded. */
            toggleClass: function (_clicks, cls) {
                const base = (cls || "").split(" ").filter(c => c && c !== "open");
                const open = !(cls || "").split(" ").includes("open");
                return [(open ? base.concat("open") : base).join(" "), String(open)];
            },

            /* On a phone the sections are a row of tabs wider than the screen: scroll the
               current one into the middle of the row, so it is never cut off at the edge. */
            showActiveSection: function (_pathname, cls) {
                setTimeout(function () {
                    const row = document.querySelector(".sidebar");
                    const active = document.querySelector(".section-nav .nav-link.active");
                    if (!row || !active || row.scrollWidth <= row.clientWidth) {
                        return;
                    }
                    const rowBox = row.getBoundingClientRect();
                    const box = active.getBoundingClientRect();
                    const middle = box.left - rowBox.left + row.scrollLeft + box.width / 2;
                    row.scrollLeft = Math.max(0, middle - row.clientWidth / 2);
                }, 150);
                return cls;
            },
        },
    });

    /* A date typed into the range picker is applied when the field loses focus, as a user
       expects; the picker itself only takes it on Tab or Enter. Leaving the field with a
       changed value sends the picker the Tab it listens for. */
    document.addEventListener("focusin", function (event) {
        const input = event.target;
        if (input.classList && input.classList.contains("dash-datepicker-input")) {
            input.dataset.valueOnFocus = input.value;
        }
    });
    document.addEventListener("focusout", function (event) {
        const input = event.target;
        if (!input.classList || !input.classList.contains("dash-datepicker-input")) {
            return;
        }
        if (input.dataset.valueOnFocus === input.value) {
            return;
        }
        input.dataset.valueOnFocus = input.value;
        input.dispatchEvent(
            new KeyboardEvent("keydown", {key: "Tab", code: "Tab", keyCode: 9, bubbles: true})
        );
    });
})();
