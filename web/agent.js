// The agent console's live updates: the queue refreshes itself, chat lines appear as they are said, and messages
// are sent without reloading. Every page works without this script (forms post and the page reloads), and text
// from the server is only ever set as text.
(function () {
    'use strict';

    /** Tells the agent the page stopped updating, in the page's status line. */
    function watchStream(events, status) {
        events.addEventListener('error', function () {
            if (events.readyState === EventSource.CLOSED && status) {
                status.textContent = 'Live updates have stopped. Reload the page to carry on.';
            }
        });
    }

    var queue = document.getElementById('queue');
    if (queue && queue.getAttribute('data-events')) {
        var queueStatus = document.getElementById('queue-status');
        var queueEvents = new EventSource(queue.getAttribute('data-events'));
        watchStream(queueEvents, queueStatus);
        queueEvents.addEventListener('queue', function () {
            // Never pull the table from under an agent's keyboard focus: say so, and let them refresh.
            if (queue.contains(document.activeElement)) {
                queueStatus.textContent = 'The queue has changed. Reload the page to see it.';
                return;
            }
            // The same server-rendered (escaped) queue, fetched again and swapped in.
            fetch(window.location.pathname, { credentials: 'same-origin', headers: { accept: 'text/html' } })
                .then(function (response) {
                    return response.ok ? response.text() : undefined;
                })
                .then(function (html) {
                    if (!html || queue.contains(document.activeElement)) return;
                    var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('queue');
                    if (!fresh) return;
                    queue.replaceChildren.apply(queue, Array.prototype.slice.call(fresh.childNodes));
                    var caption = queue.querySelector('caption');
                    queueStatus.textContent =
                        'Queue updated: ' + (caption ? caption.textContent : 'no cases are waiting.');
                });
        });
    }

    var log = document.getElementById('chat-log');
    if (!log || !log.getAttribute('data-events')) return;
    var list = log.querySelector('ol');
    var status = document.getElementById('chat-status');
    var alertBox = document.getElementById('safety-alert');
    var form = document.getElementById('chat-form');

    function addLine(entry) {
        var item = document.createElement('li');
        var who = document.createElement('span');
        who.className = 'transcript-who';
        who.textContent = entry.from + ', ' + entry.time;
        var text = document.createElement('p');
        text.className = 'typed';
        text.textContent = entry.text;
        item.appendChild(who);
        item.appendChild(text);
        list.appendChild(item);
    }

    var events = new EventSource(log.getAttribute('data-events'));
    watchStream(events, status);
    events.addEventListener('line', function (event) {
        addLine(JSON.parse(event.data));
    });
    events.addEventListener('changed', function (event) {
        var change = JSON.parse(event.data);
        if (status && change.statusText && status.textContent !== change.statusText) {
            status.textContent = change.statusText;
        }
        if (alertBox && change.alert && alertBox.hidden) {
            alertBox.firstElementChild.textContent = change.alert;
            alertBox.hidden = false;
        }
        if (change.chat !== 'connected' && change.chat !== 'waiting') {
            if (form) {
                // Focus must not vanish with the form: it goes to the status that says why.
                var hadFocus = form.contains(document.activeElement);
                form.hidden = true;
                if (hadFocus && status) {
                    status.setAttribute('tabindex', '-1');
                    status.focus();
                }
            }
            events.close();
        }
    });

    if (!form) return;
    var box = document.getElementById('chat-message');
    var error = document.getElementById('chat-error');
    var button = form.querySelector('button[type="submit"]');
    function showError(message) {
        error.textContent = message;
        error.hidden = false;
        box.setAttribute('aria-invalid', 'true');
    }
    function clearError() {
        error.hidden = true;
        box.removeAttribute('aria-invalid');
    }
    var problems = {
        401: 'You have been signed out. Reload the page and sign in again; your message was not sent.',
        403: 'This page has expired. Reload it and send the message again.',
    };
    form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (button.disabled) return;
        button.disabled = true;
        var body = new URLSearchParams(new FormData(form));
        fetch(form.action, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
            body: body.toString(),
        })
            .then(function (response) {
                if (response.ok) {
                    box.value = '';
                    clearError();
                    box.focus();
                    return undefined;
                }
                if (problems[response.status]) return showError(problems[response.status]);
                return response.json().then(
                    function (answer) {
                        showError(answer.error || 'The message was not sent. Try again.');
                    },
                    function () {
                        showError('The message was not sent. Try again.');
                    },
                );
            })
            .catch(function () {
                showError('The message was not sent: the connection was lost. Try again.');
            })
            .finally(function () {
                button.disabled = false;
            });
    });
})();
