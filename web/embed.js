// The partner-site launcher: <script src="…/embed.js" data-site="riverside-housing" async></script>. It asks the
// assistant whether this page's origin may show the chat, adds one button, and loads the chat in an iframe (so the
// partner's CSS cannot break it) only when the button is pressed. Kept small: it is on every page of the partner.
(function () {
    'use strict';
    var script = document.currentScript;
    if (!script || !script.src) return;
    var base = new URL(script.src).origin;
    var site = script.getAttribute('data-site') || '';

    function css(element, styles) {
        for (var name in styles) element.style[name] = styles[name];
    }

    /** Starts from the browser's defaults, so nothing in the partner's own CSS reaches the element. */
    function reset(element) {
        element.style.all = 'initial';
        return element;
    }

    fetch(base + '/embed/config?site=' + encodeURIComponent(site), { credentials: 'omit' })
        .then(function (response) {
            return response.ok ? response.json() : null;
        })
        .then(function (config) {
            if (!config) return;
            var button = reset(document.createElement('button'));
            var panel = null;
            button.type = 'button';
            button.textContent = config.label;
            button.setAttribute('aria-expanded', 'false');
            css(button, {
                position: 'fixed',
                right: '1rem',
                bottom: '1rem',
                zIndex: '2147483000',
                minHeight: '44px',
                padding: '0.6rem 1.1rem',
                font: 'bold 1rem/1.5 Arial, Helvetica, sans-serif',
                color: '#ffffff',
                background: config.accent,
                border: '2px solid #ffffff',
                boxShadow: '0 2px 6px rgba(0,0,0,0.4)',
                cursor: 'pointer',
            });
            // A focus ring the partner's CSS cannot take away.
            button.addEventListener('focus', function () {
                css(button, { outline: '3px solid #ffdd00', outlineOffset: '0', boxShadow: '0 0 0 6px #0b0c0c' });
            });
            button.addEventListener('blur', function () {
                css(button, { outline: 'none', boxShadow: '0 2px 6px rgba(0,0,0,0.4)' });
            });

            function close() {
                if (!panel) return;
                panel.remove();
                panel = null;
                button.setAttribute('aria-expanded', 'false');
                button.focus();
            }

            function open() {
                panel = reset(document.createElement('div'));
                panel.setAttribute('role', 'region');
                panel.setAttribute('aria-label', config.title);
                // On a small or zoomed screen the chat takes the whole window (its own close button stays in view).
                var small = window.matchMedia('(max-height: 36rem), (max-width: 30rem)').matches;
                css(panel, {
                    position: 'fixed',
                    right: small ? '0' : '1rem',
                    bottom: small ? '0' : '5.5rem',
                    zIndex: '2147483001',
                    width: small ? '100vw' : 'min(26rem, calc(100vw - 2rem))',
                    height: small ? '100vh' : 'min(40rem, calc(100vh - 6rem))',
                    background: '#ffffff',
                    border: small ? '0' : '2px solid #0b0c0c',
                    boxShadow: '0 4px 12px rgba(0,0,0,0.4)',
                });
                var frame = reset(document.createElement('iframe'));
                frame.src = base + '/embed/chat?site=' + encodeURIComponent(site);
                frame.title = config.title;
                css(frame, { width: '100%', height: '100%', border: '0', display: 'block' });
                panel.appendChild(frame);
                document.body.appendChild(panel);
                button.setAttribute('aria-expanded', 'true');
                frame.addEventListener('load', function () {
                    frame.focus();
                });
            }

            button.addEventListener('click', function () {
                if (panel) close();
                else open();
            });
            // The chat's own close button and Escape key ask, from inside the iframe, to be closed.
            window.addEventListener('message', function (event) {
                var fromChat = panel && event.source === panel.firstChild.contentWindow && event.origin === base;
                if (fromChat && event.data && event.data.type === 'council-assistant:close') close();
            });
            document.body.appendChild(button);
        })
        .catch(function () {
            // No chat is better than a broken page.
        });
})();
