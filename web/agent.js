// The agent console's live chat: new lines appear as they are said, and messages are sent without reloading.
// Every page works without this script (forms post and the page reloads); text is only ever set as text.
(function () {
    'use strict';
    var queue = document.getElementById('queue');
    if (queue && queue.getAttribute('data-events')) {
        var queueStatus = document.getElementById('queue-status');
        var queueEvents = new EventSource(queue.getAttribute('data-events'));
        queueEvents.addEventListener('queue', function () {
            // The same server-rendered (escaped) queue, fetched again and swapped in.
            fetch(window.location.pathname, { credentials: 'same-origin', headers: { accept: 'text/html' } })
                .then(function (response) {
                    return response.ok ? response.text() : undefined;
                })
                .then(function (html) {
                    if (!html) return;
                    var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('queue');
                    if (!fresh) return;
                    queue.replaceChildren.apply(queue, Array.prototype.slice.call(fresh.childNodes));
                    var caption = queue.querySelector('caption');
                    queueStatus.textContent =
                        'Queue updated: ' + (caption ? caption.textContent : 'no cases are waiting.');
                });
        });
    }
})();

(function () {
    'use strict';
    var log = document.getElementById('chat-log');
    if (!log || !log.getAttribute('data-events')) return;
    var list = log.querySelector('ol');
    var status = document.getElementById('chat-status');
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
    events.addEventListener('line', function (event) {
        addLine(JSON.parse(event.data));
    });
    events.addEventListener('changed', function (event) {
        var change = JSON.parse(event.data);
        if (status && change.statusText) status.textContent = change.statusText;
        if (change.chat !== 'connected' && change.chat !== 'waiting') {
            if (form) form.hidden = true;
            events.close();
        }
    });

    if (!form) return;
    var box = document.getElementById('chat-message');
    var error = document.getElementById('chat-error');
    function showError(message) {
        error.textContent = message;
        error.hidden = false;
    }
    form.addEventListener('submit', function (event) {
        event.preventDefault();
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
                    error.hidden = true;
                    box.focus();
                    return undefined;
                }
                return response.json().then(function (answer) {
                    showError(answer.error || 'The message was not sent. Try again.');
                });
            })
            .catch(function () {
                showError('The message was not sent: the connection was lost. Try again.');
            });
    });
})();
