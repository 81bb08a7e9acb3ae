// The residents' chat page: starts Web Chat on Direct Line, and keeps the conversation across a page reload (the
// token and conversation id are kept in this tab's sessionStorage only, so a shared computer's next user starts
// afresh once the tab is closed).
(function () {
    'use strict';
    var host = document.getElementById('chat');
    var loading = host.querySelector('.chat-loading');
    var nonce = host.getAttribute('data-nonce');
    var site = host.getAttribute('data-site');
    var accent = host.getAttribute('data-accent') || '#1d70b8';
    var storageKey = 'council-assistant.conversation' + (site ? '.' + site : '');
    // Inside a partner site's iframe: the page that embeds it (the browser's word, not the page's).
    var parentOrigin = '';
    if (site) {
        if (window.location.ancestorOrigins && window.location.ancestorOrigins.length > 0) {
            parentOrigin = window.location.ancestorOrigins[0];
        } else if (document.referrer) {
            parentOrigin = new URL(document.referrer).origin;
        }
        var close = function () {
            if (parentOrigin) window.parent.postMessage({ type: 'council-assistant:close' }, parentOrigin);
        };
        document.getElementById('close-chat').addEventListener('click', close);
        document.addEventListener('keydown', function (event) {
            if (event.key === 'Escape') close();
        });
    }

    function request(url, token) {
        return fetch(url, {
            method: 'POST',
            credentials: 'same-origin',
            headers: token ? { authorization: 'Bearer ' + token } : {},
        }).then(function (response) {
            if (!response.ok) throw new Error('HTTP ' + response.status);
            return response.json();
        });
    }

    function saved() {
        try {
            return JSON.parse(window.sessionStorage.getItem(storageKey) || 'null');
        } catch {
            return null;
        }
    }

    // Direct Line's connection states (botframework-directlinejs ConnectionStatus).
    var failedToConnect = 4;
    var ended = 5;

    function forget() {
        try {
            window.sessionStorage.removeItem(storageKey);
        } catch {
            // Nothing was stored.
        }
    }

    function unavailable() {
        if (loading.parentNode) loading.textContent = host.getAttribute('data-unavailable');
    }

    function save(conversation) {
        try {
            window.sessionStorage.setItem(storageKey, JSON.stringify(conversation));
        } catch {
            // Private browsing can refuse storage: the chat still works, only a reload starts again.
        }
    }

    /** The stored conversation with a refreshed token, or a new one. */
    function conversation() {
        var stored = saved();
        var fresh = function () {
            var query = site ? '?site=' + encodeURIComponent(site) + '&parent=' + encodeURIComponent(parentOrigin) : '';
            return request('/api/directline/token' + query).then(function (issued) {
                var started = { token: issued.token, conversationId: issued.conversationId, domain: issued.domain };
                save(started);
                return { conversation: started, resumed: false };
            });
        };
        if (!stored || !stored.token || !stored.conversationId || !stored.domain) return fresh();
        return request(stored.domain + '/tokens/refresh', stored.token).then(function (refreshed) {
            stored.token = refreshed.token;
            save(stored);
            return { conversation: stored, resumed: true };
        }, fresh);
    }

    function start(chosen) {
        var current = chosen.conversation;
        var options = { token: current.token, domain: current.domain, webSocket: true };
        if (chosen.resumed) {
            // From the first activity, so the whole conversation shows again.
            options.conversationId = current.conversationId;
            options.watermark = '0';
        }
        var directLine = window.WebChat.createDirectLine(options);
        if (chosen.resumed) {
            // The conversation has gone (a restart, or too long idle): start a new one rather than a dead chat.
            var watching = directLine.connectionStatus$.subscribe(function (status) {
                if (status === failedToConnect || status === ended) {
                    watching.unsubscribe();
                    window.clearInterval(keeping);
                    directLine.end();
                    forget();
                    conversation().then(start, unavailable);
                }
            });
        }
        // Keep the token Direct Line refreshes, so a reload after a long chat can still resume.
        var keeping = window.setInterval(function () {
            if (directLine.token && directLine.token !== current.token) {
                current.token = directLine.token;
                save(current);
            }
        }, 60 * 1000);
        var store = window.WebChat.createStore({}, function () {
            return function (next) {
                return function (action) {
                    if (site && action.type === 'DIRECT_LINE/POST_ACTIVITY') {
                        var activity = action.payload.activity;
                        activity.channelData = Object.assign({}, activity.channelData, { site: site });
                    }
                    return next(action);
                };
            };
        });
        if (loading.parentNode) host.removeChild(loading);
        window.WebChat.renderWebChat(
            {
                directLine: directLine,
                store: store,
                nonce: nonce,
                locale: document.documentElement.lang || 'en-GB',
                styleOptions: {
                    primaryFont: 'Arial, Helvetica, sans-serif',
                    fontSizeSmall: '90%',
                    accent: accent,
                    subtle: '#505a5f',
                    timestampColor: '#505a5f',
                    bubbleBackground: '#f3f2f1',
                    bubbleTextColor: '#0b0c0c',
                    bubbleBorderRadius: 0,
                    bubbleFromUserBackground: accent,
                    bubbleFromUserTextColor: '#ffffff',
                    bubbleFromUserBorderRadius: 0,
                    hideUploadButton: true,
                    // Markdown only: HTML in an answer (a slip in the YAML) shows as the text it is, never as
                    // elements. Web Chat renders it by default, fetching an <img> and keeping only its sanitiser
                    // and the page's Content-Security-Policy between a handler and the page.
                    markdownRenderHTML: false,
                    sendBoxButtonColor: accent,
                    sendBoxButtonColorOnHover: '#0b0c0c',
                    // One under another, each showing its whole title: nothing is cut off when the page is zoomed.
                    suggestedActionLayout: 'stacked',
                    suggestedActionsStackedLayoutButtonTextWrap: true,
                    suggestedActionsStackedOverflow: 'auto',
                    suggestedActionHeight: 44,
                    suggestedActionBorderRadius: 0,
                    suggestedActionBackgroundColor: '#ffffff',
                    suggestedActionBorderColor: accent,
                    suggestedActionTextColor: accent,
                    transitionDuration: window.matchMedia('(prefers-reduced-motion: reduce)').matches
                        ? '0s'
                        : undefined,
                },
            },
            host,
        );
    }

    conversation().then(start).catch(unavailable);
})();
