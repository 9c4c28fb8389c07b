<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/window/quit_notices.py" line="+18"/>
        <source>DesktopChat</source>
        <translation>DesktopChat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saving your history… (another program holds it locked; waiting up to 10 s)</source>
        <translation>Enregistrement de votre historique… (un autre programme le verrouille ; attente de 10 s au plus)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Not everything was saved</source>
        <translation>Tout n’a pas été enregistré</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another program kept your history locked, so these changes could not be saved before quitting: %1. They are listed in the log file too.</source>
        <translation>Un autre programme a gardé votre historique verrouillé, si bien que ces modifications n’ont pas pu être enregistrées avant de quitter : %1. Elles figurent aussi dans le fichier journal.</translation>
    </message>
    <message>
        <location filename="../../ui/window/start_notice.py" line="+25"/>
        <source>DesktopChat cannot write to %1 (%2).</source>
        <translation>DesktopChat ne peut pas écrire dans %1 (%2).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Your conversations are kept in memory only and are lost when you quit.</source>
        <translation>Vos conversations sont gardées en mémoire seulement et seront perdues à la fermeture.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Changes to the settings are not kept.</source>
        <translation>Les modifications des réglages ne sont pas conservées.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The log goes to the terminal instead.</source>
        <translation>Le journal est écrit dans le terminal à la place.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check the folder&apos;s permissions, or start DesktopChat with DESKTOPCHAT_HOME set to a folder you can write to.</source>
        <translation>Vérifiez les droits du dossier, ou lancez DesktopChat avec DESKTOPCHAT_HOME pointant vers un dossier où vous pouvez écrire.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The settings file could not be read (%1); defaults are used.</source>
        <translation>Le fichier de réglages n’a pas pu être lu (%1)&#xa0;; les réglages par défaut sont utilisés.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The settings file is too large to be one; defaults are used.</source>
        <translation>Le fichier de réglages est trop gros pour en être un&#xa0;; les réglages par défaut sont utilisés.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The settings file is not UTF-8 text; defaults are used.</source>
        <translation>Le fichier de réglages n’est pas du texte UTF-8&#xa0;; les réglages par défaut sont utilisés.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The settings file is not valid JSON; defaults are used.</source>
        <translation>Le fichier de réglages n’est pas du JSON valide&#xa0;; les réglages par défaut sont utilisés.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The settings file is nested too deeply to read; defaults are used.</source>
        <translation>Le fichier de réglages est trop profondément imbriqué pour être lu&#xa0;; les réglages par défaut sont utilisés.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The settings file does not hold a JSON object; defaults are used.</source>
        <translation>Le fichier de réglages ne contient pas d’objet JSON&#xa0;; les réglages par défaut sont utilisés.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Some settings were unreadable and were reset: %1.</source>
        <translation>Certains réglages étaient illisibles et ont été réinitialisés&#xa0;: %1.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The damaged file was kept as %1.</source>
        <translation>Le fichier endommagé a été conservé sous %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The damaged file could not be moved aside (%1).</source>
        <translation>Le fichier endommagé n’a pas pu être mis de côté (%1).</translation>
    </message>
    <message>
        <location filename="../../app/start.py" line="+137"/>
        <source>Something went wrong</source>
        <translation>Une erreur est survenue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DesktopChat hit an unexpected error. Your conversations are safe. Details are in the log file.</source>
        <translation>DesktopChat a rencontré une erreur inattendue. Vos conversations sont intactes. Les détails figurent dans le fichier journal.</translation>
    </message>
</context>
<context>
    <name>ApprovalCard</name>
    <message>
        <location filename="../../ui/transcript/approval_cards.py" line="+52"/>
        <source>The server says this tool only reads.</source>
        <translation>Le serveur dit que cet outil ne fait que lire.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server says this tool may delete or overwrite things.</source>
        <translation>Le serveur dit que cet outil peut supprimer ou écraser des données.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server says running it twice does no more than once.</source>
        <translation>Le serveur dit que le lancer deux fois ne fait rien de plus qu’une fois.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server says this tool reaches outside this computer.</source>
        <translation>Le serveur dit que cet outil va au-delà de cet ordinateur.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Tool call waiting for your answer</source>
        <translation>Appel d’outil en attente de votre réponse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run the tool “%1” from the server “%2”?</source>
        <translation>Lancer l’outil «&#xa0;%1&#xa0;» du serveur «&#xa0;%2&#xa0;»&#xa0;?</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Arguments the tool would get</source>
        <translation>Arguments que l’outil recevrait</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Allow &amp;once</source>
        <translation>Autoriser une f&amp;ois</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Allow for this &amp;conversation</source>
        <translation>Autoriser pour cette &amp;conversation</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Always allow this tool</source>
        <translation>&amp;Toujours autoriser cet outil</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Deny…</source>
        <translation>&amp;Refuser…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Why not? (optional, the model is told)</source>
        <translation>Pourquoi&#xa0;? (facultatif, le modèle en est informé)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason for denying</source>
        <translation>Raison du refus</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Deny</source>
        <translation>Refuser</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <location filename="../../ui/composer/attachment_chip.py" line="+71"/>
        <source>Too large ({size}); the limit is {limit}</source>
        <translation>Trop volumineux ({size}) ; la limite est de {limit}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not a file DesktopChat can read (images, PDF, text)</source>
        <translation>DesktopChat ne sait pas lire ce fichier (images, PDF, texte)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not be read</source>
        <translation>Lecture impossible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Damaged, or not the file its name says</source>
        <translation>Endommagé, ou pas le fichier que son nom annonce</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Protected by a password</source>
        <translation>Protégé par un mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Took too long to read</source>
        <translation>Lecture trop longue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many pixels to open</source>
        <translation>Trop de pixels pour être ouverte</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reading…</source>
        <translation>Lecture…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This model reads text only</source>
        <translation>Ce modèle ne lit que du texte</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No text found (a scan?): the model is told so</source>
        <translation>Aucun texte trouvé (un scan ?) : le modèle en est averti</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{size} · ~{tokens} tokens</source>
        <translation>{size} · ~{tokens} jetons</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Attachment {name}</source>
        <translation>Pièce jointe {name}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Remove {name}</source>
        <translation>Retirer {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove (Delete)</source>
        <translation>Retirer (Suppr)</translation>
    </message>
</context>
<context>
    <name>AttachmentTray</name>
    <message>
        <location filename="../../ui/composer/attachment_tray.py" line="+172"/>
        <source>Wait until the attachments are read.</source>
        <translation>Attendez la fin de la lecture des pièces jointes.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove the attachments that cannot be sent.</source>
        <translation>Retirez les pièces jointes qui ne peuvent pas être envoyées.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This model reads text only: pick a vision model, or remove the images.</source>
        <translation>Ce modèle ne lit que du texte : choisissez un modèle de vision, ou retirez les images.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At most {count} images go in one message.</source>
        <translation>Un message peut contenir au plus {count} images.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The documents hold {chars} characters; at most {limit} go in one message.</source>
        <translation>Les documents contiennent {chars} caractères ; un message en accepte au plus {limit}.</translation>
    </message>
    <message numerus="yes">
        <location line="+130"/>
        <source>Files left out: %n. One message holds at most {limit} attachments.</source>
        <translation>
            <numerusform>Fichier laissé de côté : %n. Un message contient au plus {limit} pièces jointes.</numerusform>
            <numerusform>Fichiers laissés de côté : %n. Un message contient au plus {limit} pièces jointes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChatError</name>
    <message>
        <location filename="../../domain/errors.py" line="+59"/>
        <source>No API key is set for {provider}. Add one in Settings → Keys.</source>
        <translation>Aucune clé API n’est définie pour {provider}. Ajoutez-en une dans Paramètres → Clés.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The {provider} key was refused{status}. Check it in Settings → Keys.</source>
        <translation>La clé {provider} a été refusée{status}. Vérifiez-la dans Paramètres → Clés.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{provider} refused access{status}: the key may not be allowed to use this model or region. Check the key&apos;s permissions in your {provider} account.</source>
        <translation>{provider} a refusé l’accès{status}&#xa0;: la clé n’est peut-être pas autorisée pour ce modèle ou cette région. Vérifiez ses autorisations dans votre compte {provider}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{provider} says the account has no credit left{status}. Add credit, then retry.</source>
        <translation>{provider} indique que le compte n’a plus de crédit{status}. Ajoutez du crédit, puis réessayez.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{provider} does not know the model “{model}”{status}. Pick another model or refresh the model list.</source>
        <translation>{provider} ne connaît pas le modèle «&#xa0;{model}&#xa0;»{status}. Choisissez un autre modèle ou actualisez la liste des modèles.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{provider} is rate-limiting requests{status}. {retry}</source>
        <translation>{provider} limite le nombre de requêtes{status}. {retry}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The conversation is too long for {model}{status}. Start a new conversation, delete earlier messages, or pick a model with a larger context.</source>
        <translation>La conversation est trop longue pour {model}{status}. Commencez une nouvelle conversation, supprimez des messages plus anciens ou choisissez un modèle au contexte plus grand.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{provider} rejected the request{status}.</source>
        <translation>{provider} a rejeté la requête{status}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{provider} had a server error{status}. Retry in a moment.</source>
        <translation>{provider} a rencontré une erreur serveur{status}. Réessayez dans un instant.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{provider} is overloaded{status}. Retry in a moment.</source>
        <translation>{provider} est surchargé{status}. Réessayez dans un instant.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing answered at {base_url}. Is the server running? Check the address in Settings.</source>
        <translation>Rien n’a répondu à {base_url}. Le serveur est-il lancé&#xa0;? Vérifiez l’adresse dans les paramètres.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The address of {provider} could not be found ({host}). Check your network connection and the server address.</source>
        <translation>L’adresse de {provider} est introuvable ({host}). Vérifiez votre connexion réseau et l’adresse du serveur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not reach {provider}. Check your network connection, then retry.</source>
        <translation>Impossible de joindre {provider}. Vérifiez votre connexion réseau, puis réessayez.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{provider} did not answer in time. Retry, or raise the timeout in Settings.</source>
        <translation>{provider} n’a pas répondu à temps. Réessayez, ou allongez le délai d’attente dans les paramètres.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The connection to {provider} was cut before the reply ended. The part received is kept.</source>
        <translation>La connexion à {provider} a été coupée avant la fin de la réponse. La partie reçue est conservée.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The connection to {provider} was cut before any reply arrived. Retry; if it happens again, the server may be failing on this request.</source>
        <translation>La connexion à {provider} a été coupée avant l’arrivée de toute réponse. Réessayez ; si cela se reproduit, le serveur échoue peut-être sur cette requête.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{provider} closed the connection before any reply arrived: this conversation (~{tokens} tokens) is most likely too long for {model}&apos;s {window}-token context. Leave out the oldest turns, or summarise and continue.</source>
        <translation>{provider} a fermé la connexion avant l’arrivée de toute réponse : cette conversation (~{tokens} jetons) est très probablement trop longue pour le contexte de {window} jetons de {model}. Laissez de côté les plus anciens échanges, ou résumez et continuez.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{provider} sent a response DesktopChat could not read. Check the server address; it may not be an OpenAI-compatible API.</source>
        <translation>{provider} a envoyé une réponse que DesktopChat ne sait pas lire. Vérifiez l’adresse du serveur&#xa0;; ce n’est peut-être pas une API compatible OpenAI.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{provider} sent an empty reply. Retry, or try another model.</source>
        <translation>{provider} a envoyé une réponse vide. Réessayez, ou essayez un autre modèle.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The reply from {provider} was too large; DesktopChat stopped reading it and kept the part received.</source>
        <translation>La réponse de {provider} était trop volumineuse ; DesktopChat a cessé de la lire et a conservé la partie reçue.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{provider} sent a response too large to read. Check the server address in Settings.</source>
        <translation>{provider} a envoyé une réponse trop volumineuse pour être lue. Vérifiez l’adresse du serveur dans les Paramètres.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{model} reads text only{status}: pick a model that reads images (a vision model), or remove the images and send again.</source>
        <translation>{model} ne lit que du texte{status} : choisissez un modèle qui lit les images (un modèle de vision), ou retirez les images et renvoyez.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The reply from {provider} failed{status}.</source>
        <translation>La réponse de {provider} a échoué{status}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retry in {seconds} s.</source>
        <translation>Réessayez dans {seconds}&#xa0;s.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wait a little, then retry.</source>
        <translation>Patientez un peu, puis réessayez.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details: {detail}</source>
        <translation>Détails&#xa0;: {detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{phrase}: {words}</source>
        <translation>{phrase}&#xa0;: {words}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{what} was larger than {size}</source>
        <translation>trop volumineux (plus de {size})&#xa0;: {what}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{what} did not come within {seconds} s</source>
        <translation>pas arrivé en {seconds}&#xa0;s&#xa0;: {what}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The key contains {shown}({code}, {name}) at position {position}, which cannot be sent: it was probably pasted with formatting. Paste it again from the provider&apos;s page.</source>
        <translation>La clé contient {shown}({code}, {name}) à la position {position}, qui ne peut pas être envoyé&#xa0;: elle a sans doute été collée avec sa mise en forme. Collez-la à nouveau depuis la page du fournisseur.</translation>
    </message>
    <message>
        <location filename="../../providers/errors_map.py" line="+362"/>
        <source>unreadable data</source>
        <translation>données illisibles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unreadable data: JSON nested too deeply</source>
        <translation>données illisibles : JSON imbriqué trop profondément</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>timed out while connecting</source>
        <translation>délai dépassé pendant la connexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>timed out while waiting for data</source>
        <translation>délai dépassé en attendant les données</translation>
    </message>
    <message>
        <location filename="../../providers/reply_stream.py" line="+141"/>
        <source>finish reason</source>
        <translation>raison de fin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected an event stream, got</source>
        <translation>flux d’événements attendu, reçu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected an event stream, got no content type</source>
        <translation>flux d’événements attendu, reçu sans type de contenu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the stream ended before the reply did</source>
        <translation>le flux s’est arrêté avant la fin de la réponse</translation>
    </message>
    <message>
        <location filename="../../services/registry.py" line="+160"/>
        <source>its key was kept for a session only and was forgotten when DesktopChat quit; enter it again, or remove it in Settings → Keys to send requests without a key</source>
        <translation>sa clé n’était gardée que pour une session et a été oubliée à la fermeture de DesktopChat&#xa0;; saisissez-la de nouveau, ou retirez-la dans Paramètres → Clés pour envoyer les requêtes sans clé</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its key is no longer in the keychain; enter it again, or remove it in Settings → Keys to send requests without a key</source>
        <translation>sa clé n’est plus dans le trousseau&#xa0;; saisissez-la de nouveau, ou retirez-la dans Paramètres → Clés pour envoyer les requêtes sans clé</translation>
    </message>
    <message>
        <location filename="../../providers/limits.py" line="+130"/>
        <source>the model list</source>
        <translation>la liste des modèles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the first event of the reply</source>
        <translation>le premier événement de la réponse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the next event of the reply</source>
        <translation>l’événement suivant de la réponse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>one server-sent event</source>
        <translation>un événement envoyé par le serveur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the reply&apos;s text</source>
        <translation>le texte de la réponse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the response</source>
        <translation>la réponse</translation>
    </message>
    <message>
        <location filename="../../ui/support/translation.py" line="+81"/>
        <source>the provider</source>
        <translation>le fournisseur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Limited by {provider}.</source>
        <translation>Limité par {provider}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{provider} is busy.</source>
        <translation>{provider} est surchargé.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../ui/transcript/reply_failure.py" line="+52"/>
        <source>The reply failed.</source>
        <translation>La réponse a échoué.</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/chat_document.py" line="+151"/>
        <source>Show earlier messages</source>
        <translation>Afficher les messages précédents</translation>
    </message>
    <message>
        <location line="+233"/>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/message_footer.py" line="+48"/>
        <source>Copy code</source>
        <translation>Copier le code</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/reply_failure.py" line="+19"/>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open Settings</source>
        <translation>Ouvrir les paramètres</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/chat_document.py" line="+14"/>
        <location filename="../../ui/transcript/message_footer.py" line="-6"/>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/message_footer.py" line="+1"/>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Regenerate</source>
        <translation>Régénérer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete this and what follows</source>
        <translation>Supprimer ceci et la suite</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Previous version</source>
        <translation>Version précédente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next version</source>
        <translation>Version suivante</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>price from the bundled table of {date}</source>
        <translation>prix du tableau fourni avec l’application, au {date}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>reported by the service</source>
        <translation>indiqué par le service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>price from OpenRouter</source>
        <translation>prix d’OpenRouter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>your price</source>
        <translation>votre prix</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>local: free</source>
        <translation>local : gratuit</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cut off at the length limit ({limit} tokens). Raise Longest answer in the side panel, then regenerate.</source>
        <translation>Coupée à la limite de longueur ({limit} jetons). Augmentez Réponse la plus longue dans le panneau latéral, puis régénérez.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cut off at the length limit. Raise Longest answer in the side panel, then regenerate.</source>
        <translation>Coupée à la limite de longueur. Augmentez Réponse la plus longue dans le panneau latéral, puis régénérez.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cut off: the conversation filled the model&apos;s context window.</source>
        <translation>Coupée&#xa0;: la conversation a rempli la fenêtre de contexte du modèle.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Claude paused a long search here; regenerate or ask it to continue.</source>
        <translation>Claude a mis en pause une longue recherche ici&#xa0;; régénérez ou demandez-lui de continuer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The provider&apos;s content filter stopped this reply.</source>
        <translation>Le filtre de contenu du fournisseur a arrêté cette réponse.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Not sent</source>
        <translation>Non envoyé</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{index}/{count}</source>
        <translation>{index}/{count}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>{count} tokens in</source>
        <translation>{count} jetons en entrée</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{count} tokens out</source>
        <translation>{count} jetons en sortie</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server reported no usage: tokens estimated as about four characters each, over what was sent and received.</source>
        <translation>Le serveur n’a indiqué aucune consommation&#xa0;: jetons estimés à environ quatre caractères chacun, sur ce qui a été envoyé et reçu.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>estimated</source>
        <translation>estimé</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>1 web search</source>
        <translation>1 recherche web</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} web searches</source>
        <translation>{count} recherches web</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} jetons/s</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Interrupted</source>
        <translation>Interrompue</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/chat_view.py" line="+80"/>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Type below and press Enter to send; Shift+Enter starts a new line.</source>
        <translation>Écrivez ci-dessous et appuyez sur Entrée pour envoyer ; Maj+Entrée passe à la ligne.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Press Up in the empty message box to edit your last message.</source>
        <translation>Appuyez sur Haut dans la zone de message vide pour modifier votre dernier message.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What can I help with?</source>
        <translation>Comment puis-je vous aider ?</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/view_links.py" line="+82"/>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/link_hover.py" line="+22"/>
        <source>Not opened (only web and e-mail links open): {address}</source>
        <translation>Non ouvert (seuls les liens web et e-mail s’ouvrent)&#xa0;: {address}</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/markdown.py" line="+216"/>
        <source>[image: {name}]</source>
        <translation>[image&#xa0;: {name}]</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/attachment_lines.py" line="+40"/>
        <source>No text found: a scanned PDF?</source>
        <translation>Aucun texte trouvé&#xa0;: un PDF scanné&#xa0;?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its text was not in the Claude export</source>
        <translation>Son texte n’était pas dans l’export Claude</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file itself is not in the Claude export</source>
        <translation>Le fichier lui-même n’est pas dans l’export Claude</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file was not found beside the export</source>
        <translation>Le fichier n’a pas été trouvé à côté de l’export</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not in the ChatGPT export&apos;s conversations (%1)</source>
        <translation>Absent des conversations de l’export ChatGPT (%1)</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Picture</source>
        <translation>Image</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/reasoning_section.py" line="+45"/>
        <source>Thinking…</source>
        <translation>Réflexion…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thoughts</source>
        <translation>Réflexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thought for {duration}</source>
        <translation>A réfléchi {duration}</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Hide the thinking</source>
        <translation>Masquer la réflexion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the thinking</source>
        <translation>Afficher la réflexion</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>… more thinking, not shown here</source>
        <translation>… la suite du raisonnement, non affichée ici</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>… {count} characters of thinking not shown here (export has all) …</source>
        <translation>… {count} caractères de raisonnement non affichés ici (l’export contient tout) …</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/streaming.py" line="+33"/>
        <source>Retry now</source>
        <translation>Réessayer maintenant</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Waiting for the first token… {seconds} s</source>
        <translation>En attente du premier jeton… {seconds}&#xa0;s</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{reason} Retrying in {seconds} s ({attempt} of {attempts}).</source>
        <translation>{reason} Nouvel essai dans {seconds} s ({attempt} sur {attempts}).</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/source_lines.py" line="+25"/>
        <source>Sources</source>
        <translation>Sources</translation>
    </message>
    <message>
        <location filename="../../ui/transcript/tool_blocks.py" line="+67"/>
        <source>{name} — {time}, the tool reported an error</source>
        <translation>{name} — {time}, l’outil a signalé une erreur</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{name} — running… {time}</source>
        <translation>{name} — en cours… {time}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>waiting for your answer</source>
        <translation>en attente de votre réponse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>allowed, waiting</source>
        <translation>autorisé, en attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>denied</source>
        <translation>refusé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>interrupted</source>
        <translation>interrompu</translation>
    </message>
    <message>
        <location line="+103"/>
        <source>The reply stopped at the limit of tool call rounds ({count}).</source>
        <translation>La réponse s’est arrêtée à la limite de tours d’appels d’outils ({count}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send a message to let it go on.</source>
        <translation>Envoyez un message pour la laisser continuer.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Hide the tool call</source>
        <translation>Masquer l’appel d’outil</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the tool call</source>
        <translation>Afficher l’appel d’outil</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Arguments</source>
        <translation>Arguments</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your reason</source>
        <translation>Votre raison</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(no text)</source>
        <translation>(aucun texte)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The tool&apos;s answer was too long and was cut.</source>
        <translation>La réponse de l’outil était trop longue et a été coupée.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>… {count} more characters, kept in the history.</source>
        <translation>… {count} caractères de plus, gardés dans l’historique.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Show all</source>
        <translation>Tout afficher</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>A picture that cannot be shown.</source>
        <translation>Une image qui ne peut pas être affichée.</translation>
    </message>
</context>
<context>
    <name>CompareColumn</name>
    <message>
        <location filename="../../ui/compare/column.py" line="+39"/>
        <source>Reply from %1</source>
        <translation>Réponse de %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting for the first words…</source>
        <translation>En attente des premiers mots…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Continue with this</source>
        <translation>Continuer avec celle-ci</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Failed: see the reply.</source>
        <translation>Échec : voir la réponse.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not sent: the conversation (~%1 tokens) does not fit this model&apos;s %2-token context. Leave out the oldest turns or summarise and continue in the conversation, or compare with a larger model.</source>
        <translation>Non envoyé : la conversation (~%1 jetons) ne tient pas dans le contexte de %2 jetons de ce modèle. Laissez de côté les plus anciens échanges ou résumez et continuez dans la conversation, ou comparez avec un modèle plus grand.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stopped.</source>
        <translation>Arrêtée.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 tokens in</source>
        <translation>%1 jetons en entrée</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 tokens out</source>
        <translation>%1 jetons en sortie</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Done.</source>
        <translation>Terminé.</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <location filename="../../ui/compare/dialog.py" line="+123"/>
        <source>Compare models</source>
        <translation>Comparer des modèles</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+24"/>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Ask every model the same question…</source>
        <translation>Posez la même question à chaque modèle…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add a model</source>
        <translation>Ajouter un modèle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send to all</source>
        <translation>Envoyer à tous</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send to every model (Ctrl+Enter)</source>
        <translation>Envoyer à chaque modèle (Ctrl+Entrée)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Models (2 to 4, from any providers)</source>
        <translation>Modèles (2 à 4, de n’importe quels fournisseurs)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Write the question first.</source>
        <translation>Écrivez d’abord la question.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pick a provider and a model in every row (at least two).</source>
        <translation>Choisissez un fournisseur et un modèle sur chaque ligne (au moins deux).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Wait for the replies to finish, or stop them.</source>
        <translation>Attendez la fin des réponses, ou arrêtez-les.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Your question could not be saved: %1</source>
        <translation>Votre question n’a pas pu être enregistrée : %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This conversation was deleted, perhaps by another window.</source>
        <translation>Cette conversation a été supprimée, peut-être par une autre fenêtre.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not sent: the conversation does not fit the context of %1. Leave out the oldest turns or summarise and continue in the conversation, or pick models with larger windows.</source>
        <translation>Non envoyé : la conversation ne tient pas dans le contexte de %1. Laissez de côté les plus anciens échanges ou résumez et continuez dans la conversation, ou choisissez des modèles au contexte plus grand.</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/composer/composer.py" line="+94"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+177"/>
        <source>Attach files</source>
        <translation>Joindre des fichiers</translation>
    </message>
    <message>
        <location line="-176"/>
        <source>Attach files (Ctrl+Shift+A)</source>
        <translation>Joindre des fichiers (Ctrl+Maj+A)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tools</source>
        <translation>Outils</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Web search</source>
        <translation>Recherche web</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the reply (Esc)</source>
        <translation>Arrêter la réponse (Échap)</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>on</source>
        <translation>activé</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>off</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tools: %1</source>
        <translation>Outils : %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Web search: %1</source>
        <translation>Recherche web : %1</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Pasted image.png</source>
        <translation>Image collée.png</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Pasted text.txt</source>
        <translation>Texte collé.txt</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>A reply is being written: Esc stops it. You can type meanwhile.</source>
        <translation>Une réponse est en cours d’écriture&#xa0;: Échap l’arrête. Vous pouvez écrire en attendant.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message… (Enter to send, Shift+Enter for a new line)</source>
        <translation>Message… (Entrée pour envoyer, Maj+Entrée pour aller à la ligne)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message… (Ctrl+Enter to send)</source>
        <translation>Message… (Ctrl+Entrée pour envoyer)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter does not send while a reply is being written; Esc stops it.</source>
        <translation>Entrée n’envoie rien pendant l’écriture d’une réponse&#xa0;; Échap l’arrête.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Entrée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send ({shortcut})</source>
        <translation>Envoyer ({shortcut})</translation>
    </message>
</context>
<context>
    <name>ContextControls</name>
    <message>
        <location filename="../../ui/window/context_controls.py" line="+175"/>
        <source>Not sent: the conversation no longer fits the model&apos;s context.</source>
        <translation>Non envoyé : la conversation ne tient plus dans le contexte du modèle.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Summarising the conversation…</source>
        <translation>Résumé de la conversation en cours…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (continued)</source>
        <translation>%1 (suite)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summarise our conversation “%1” so far.</source>
        <translation>Résume notre conversation « %1 » jusqu’ici.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Not even part of this conversation fits the model&apos;s %1-token context with room for a summary. Pick a model with a larger context to summarise it.</source>
        <translation>Même une partie de cette conversation ne tient pas dans le contexte de %1 jetons du modèle en laissant la place d’un résumé. Choisissez un modèle au contexte plus grand pour la résumer.</translation>
    </message>
</context>
<context>
    <name>ContextMeter</name>
    <message>
        <location filename="../../ui/composer/context_meter.py" line="+62"/>
        <source>Context used</source>
        <translation>Contexte utilisé</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The context is nearly full: what to do</source>
        <translation>Le contexte est presque plein : que faire</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Leave out the oldest turns</source>
        <translation>Laisser de côté les plus anciens échanges</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>They stay in the history, marked “not sent”, and are no longer sent</source>
        <translation>Ils restent dans l’historique, marqués « non envoyé », et ne sont plus envoyés</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Summarise and continue</source>
        <translation>Résumer et continuer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The same model summarises this conversation; a new one continues from it</source>
        <translation>Le même modèle résume cette conversation ; une nouvelle conversation repart de ce résumé</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 of %2 tokens (estimate)</source>
        <translation>%1 sur %2 jetons (estimation)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This conversation (~%1 tokens) no longer fits %2&apos;s %3-token context.</source>
        <translation>Cette conversation (~%1 jetons) ne tient plus dans le contexte de %3 jetons de %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the model</source>
        <translation>le modèle</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The next message may not fit in the model&apos;s context: %1</source>
        <translation>Le prochain message risque de dépasser le contexte du modèle : %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 % of the model&apos;s context used: %2</source>
        <translation>%1 % du contexte du modèle utilisé : %2</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../../ui/sidebar/conversation_delegate.py" line="+91"/>
        <source>Today {time}</source>
        <translation>Aujourd’hui {time}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>Conversation title</source>
        <translation>Titre de la conversation</translation>
    </message>
</context>
<context>
    <name>ConversationGroups</name>
    <message>
        <location filename="../../ui/sidebar/conversation_model.py" line="+85"/>
        <source>Pinned</source>
        <translation>Épinglées</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous 7 days</source>
        <translation>7 jours précédents</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous 30 days</source>
        <translation>30 jours précédents</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <location line="+72"/>
        <source>New conversation</source>
        <translation>Nouvelle conversation</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>pinned</source>
        <translation>épinglée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>replying</source>
        <translation>en train de répondre</translation>
    </message>
</context>
<context>
    <name>ConversationPanel</name>
    <message>
        <location filename="../../ui/models/options.py" line="+55"/>
        <location line="+69"/>
        <source>Conversation settings</source>
        <translation>Réglages de la conversation</translation>
    </message>
    <message>
        <location line="-59"/>
        <location line="+5"/>
        <location line="+45"/>
        <source>Temperature</source>
        <translation>Température</translation>
    </message>
    <message>
        <location line="-42"/>
        <location line="+20"/>
        <source>Default</source>
        <translation>Par défaut</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Use the provider&apos;s default temperature</source>
        <translation>Utiliser la température par défaut du fournisseur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default temperature</source>
        <translation>Température par défaut</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+14"/>
        <source> tokens</source>
        <translation> jetons</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Low</source>
        <translation>Faible</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Medium</source>
        <translation>Moyen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>High</source>
        <translation>Élevé</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tools</source>
        <translation>Outils</translation>
    </message>
    <message>
        <location line="+156"/>
        <source>Let the model call the tools of your tool servers</source>
        <translation>Permettre au modèle d’appeler les outils de vos serveurs d’outils</translation>
    </message>
    <message>
        <location line="-153"/>
        <source>Web search</source>
        <translation>Recherche web</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Let the model search the web where it can</source>
        <translation>Permettre au modèle de chercher sur le web quand il le peut</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Longest answer</source>
        <translation>Réponse la plus longue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning effort</source>
        <translation>Effort de raisonnement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thinking budget</source>
        <translation>Budget de réflexion</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>System prompt</source>
        <translation>Prompt système</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changes apply to the next message.</source>
        <translation>Les changements s’appliquent au prochain message.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Randomness of the answers. %1 takes 0–%2; lower is more focused.</source>
        <translation>Part de hasard des réponses. %1 accepte de 0 à %2 ; plus bas, plus précis.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The provider</source>
        <translation>Le fournisseur</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This model ignores the temperature: reasoning models use a fixed one.</source>
        <translation>Ce modèle ignore la température : les modèles de raisonnement en utilisent une fixe.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Model default (%1)</source>
        <translation>Par défaut du modèle (%1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This model reasons before it answers: its default includes %1 tokens to think.</source>
        <translation>Ce modèle raisonne avant de répondre&#xa0;: sa valeur par défaut compte %1 jetons pour réfléchir.</translation>
    </message>
</context>
<context>
    <name>ConversationSwitch</name>
    <message>
        <location filename="../../ui/window/conversation_switch.py" line="+286"/>
        <source>This conversation could not be read: %1</source>
        <translation>Impossible de lire cette conversation&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>ConversationSwitches</name>
    <message>
        <location filename="../../ui/models/switches.py" line="+76"/>
        <source>No tool servers yet — add one in Settings → Tools</source>
        <translation>Aucun serveur d’outils pour l’instant — ajoutez-en un dans Paramètres → Outils</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every tool server is turned off — turn one on in Settings → Tools</source>
        <translation>Tous les serveurs d’outils sont désactivés — activez-en un dans Paramètres → Outils</translation>
    </message>
</context>
<context>
    <name>Counted</name>
    <message numerus="yes">
        <location filename="../../ui/support/units.py" line="+22"/>
        <source>%Ln conversations</source>
        <translation>
            <numerusform>%Ln conversation</numerusform>
            <numerusform>%Ln conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln messages</source>
        <translation>
            <numerusform>%Ln message</numerusform>
            <numerusform>%Ln messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Drafts</name>
    <message>
        <location filename="../../ui/window/drafts.py" line="+139"/>
        <source>A draft was changed in another DesktopChat window too: both texts are kept, the other one below a line.</source>
        <translation>Un brouillon a aussi été modifié dans une autre fenêtre de DesktopChat : les deux textes sont gardés, l’autre sous un trait.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Long draft.txt</source>
        <translation>Brouillon long.txt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This draft has {count} characters, too many to edit in the message box: it is kept as a text attachment.</source>
        <translation>Ce brouillon compte {count} caractères, trop pour être modifié dans la zone de message : il est gardé comme pièce jointe texte.</translation>
    </message>
</context>
<context>
    <name>EndpointEditor</name>
    <message>
        <location filename="../../ui/settings/endpoints.py" line="+85"/>
        <source>Add endpoint</source>
        <translation>Ajouter un point d’accès</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Edit endpoint</source>
        <translation>Modifier le point d’accès</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>My llama.cpp server</source>
        <translation>Mon serveur llama.cpp</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This address is on another computer and does not use https://: a key sent to it can be read by anyone on the network between.</source>
        <translation>Cette adresse est sur un autre ordinateur et n’utilise pas https:// : une clé qui lui est envoyée peut être lue par n’importe qui sur le réseau entre les deux.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Optional</source>
        <translation>Facultative</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Leave empty to keep the key</source>
        <translation>Laisser vide pour garder la clé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The key is stored in the system keychain, never in a file.</source>
        <translation>La clé est conservée dans le trousseau du système, jamais dans un fichier.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no keychain: the key is kept until DesktopChat quits, never in a file.</source>
        <translation>Il n’y a pas de trousseau&#xa0;: la clé est gardée jusqu’à la fermeture de DesktopChat, jamais dans un fichier.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base &amp;URL:</source>
        <translation>&amp;URL de base&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>API &amp;key:</source>
        <translation>&amp;Clé API&#xa0;:</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Send the key unencrypted?</source>
        <translation>Envoyer la clé sans chiffrement ?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{url} is not on this computer and does not use https://, so the key would travel unencrypted: anyone on the network between could read it and use it.

Use an https:// address if the server offers one. Send the key over plain http anyway?</source>
        <translation>{url} n’est pas sur cet ordinateur et n’utilise pas https:// : la clé voyagerait sans chiffrement, et n’importe qui sur le réseau entre les deux pourrait la lire et s’en servir.

Utilisez une adresse https:// si le serveur en propose une. Envoyer quand même la clé en http simple ?</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../../ui/library/export_actions.py" line="+61"/>
        <source>Export conversation</source>
        <translation>Exporter la conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Export failed</source>
        <translation>Échec de l’export</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Show in folder</source>
        <translation>Afficher dans le dossier</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The conversation could not be written to %1:
%2</source>
        <translation>Impossible d’écrire la conversation dans %1&#xa0;:
%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exported to %1</source>
        <translation>Exporté vers %1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Exported 1 conversation to %1</source>
        <translation>1 conversation exportée vers %1</translation>
    </message>
    <message numerus="yes">
        <location line="-82"/>
        <source>Exported %n conversations to %1</source>
        <translation>
            <numerusform>%n conversation exportée vers %1</numerusform>
            <numerusform>%n conversations exportées vers %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Export all conversations to a folder</source>
        <translation>Exporter toutes les conversations dans un dossier</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The conversations could not be written to %1:
%2</source>
        <translation>Impossible d’écrire les conversations dans %1&#xa0;:
%2</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../../ui/models/header.py" line="+66"/>
        <source>Conversation settings</source>
        <translation>Réglages de la conversation</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Conversation settings: this conversation has a system prompt (%1)</source>
        <translation>Réglages de la conversation : elle a un prompt système (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conversation settings: temperature, tools, system prompt (%1)</source>
        <translation>Réglages de la conversation : température, outils, prompt système (%1)</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <location filename="../../ui/library/import_dialog.py" line="+35"/>
        <location line="+89"/>
        <source>Import conversations</source>
        <translation>Importer des conversations</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>ChatGPT, Claude or DesktopChat exports (*.zip *.json *.md);;All files (*)</source>
        <translation>Exports ChatGPT, Claude ou DesktopChat (*.zip *.json *.md);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reading the export…</source>
        <translation>Lecture de l’export…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Import failed</source>
        <translation>Échec de l’importation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 cannot be imported:
%2</source>
        <translation>Impossible d’importer %1 :
%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Importing…</source>
        <translation>Importation…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Import done</source>
        <translation>Importation terminée</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Nothing to import</source>
        <translation>Rien à importer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file holds no conversation that can be imported.</source>
        <translation>Le fichier ne contient aucune conversation importable.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Import %1 (%2) from %3 to %4?</source>
        <translation>Importer %1 (%2) du %3 au %4&#xa0;?</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Imported %1 (%2); already there: %3.</source>
        <comment>%1, %3: “3 conversations”</comment>
        <translation>Importé&#xa0;: %1 (%2)&#xa0;; déjà présentes&#xa0;: %3.</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Conversations imported before are skipped; nothing is overwritten.</source>
        <translation>Les conversations déjà importées sont ignorées ; rien n’est écrasé.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Left out, as they cannot be read: %1.</source>
        <comment>%1: “3 conversations”</comment>
        <translation>Laissées de côté car illisibles&#xa0;: %1.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Left out:</source>
        <translation>Laissées de côté :</translation>
    </message>
</context>
<context>
    <name>InlineEditor</name>
    <message>
        <location filename="../../ui/transcript/inline_editor.py" line="+43"/>
        <source>Edit message</source>
        <translation>Modifier le message</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ctrl+Enter resends, Esc cancels.</source>
        <translation>Ctrl+Entrée renvoie, Échap annule.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resend</source>
        <translation>Renvoyer</translation>
    </message>
</context>
<context>
    <name>KeyRow</name>
    <message>
        <location filename="../../ui/settings/key_row.py" line="+69"/>
        <source>Paste the key here</source>
        <translation>Collez la clé ici</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} API key</source>
        <translation>Clé API {name}</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+60"/>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>Show the {name} key</source>
        <translation>Afficher la clé {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test</source>
        <translation>Tester</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the {name} key</source>
        <translation>Enregistrer la clé {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the {name} key</source>
        <translation>Supprimer la clé {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test the {name} key</source>
        <translation>Tester la clé {name}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where the {name} key comes from</source>
        <translation>Provenance de la clé {name}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep for this session only</source>
        <translation>Garder pour cette session seulement</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
</context>
<context>
    <name>Keychain</name>
    <message>
        <location filename="../../system/keychain_problems.py" line="+22"/>
        <source>Keys can be kept for this session only.</source>
        <translation>Les clés ne peuvent être gardées que pour cette session.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No keychain service was found (no Secret Service such as GNOME Keyring or KWallet is running, and there is no macOS or Windows keychain).</source>
        <translation>Aucun service de trousseau n’a été trouvé (aucun Secret Service comme GNOME Keyring ou KWallet n’est lancé, et il n’y a pas de trousseau macOS ou Windows).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The keychain is switched off (the keyring library is set to its null backend).</source>
        <translation>Le trousseau est désactivé (la bibliothèque keyring utilise son backend nul).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The keychain is locked and was not unlocked.</source>
        <translation>Le trousseau est verrouillé et n’a pas été déverrouillé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The keychain could not be used</source>
        <translation>Le trousseau n’a pas pu être utilisé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The keychain is not answering (its service may be stuck, or waiting for an unlock prompt).</source>
        <translation>Le trousseau ne répond pas (son service est peut-être bloqué, ou attend un déverrouillage).</translation>
    </message>
    <message>
        <location filename="../../ui/support/translation.py" line="+12"/>
        <source>%1: %2.</source>
        <translation>%1&#xa0;: %2.</translation>
    </message>
</context>
<context>
    <name>KeysTab</name>
    <message>
        <location filename="../../ui/settings/keys.py" line="+77"/>
        <source>Keys are stored in your system keychain, never in DesktopChat&apos;s files. A key set in the provider&apos;s environment variable is used when the keychain has none.</source>
        <translation>Les clés sont conservées dans le trousseau de votre système, jamais dans les fichiers de DesktopChat. Si le trousseau n’en contient pas, la clé définie dans la variable d’environnement du fournisseur est utilisée.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>No keychain available</source>
        <translation>Aucun trousseau disponible</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&lt;b&gt;Keys can&apos;t be saved in a keychain.&lt;/b&gt; {reason} A key saved here is forgotten when DesktopChat quits.</source>
        <translation>&lt;b&gt;Impossible d’enregistrer les clés dans un trousseau.&lt;/b&gt; {reason} Une clé enregistrée ici est oubliée à la fermeture de DesktopChat.</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>The key contains “{character}” ({code}, {name}) at position {position}: it was probably pasted with formatting. Paste it again from the provider&apos;s page.</source>
        <translation>La clé contient « {character} » ({code}, {name}) à la position {position} : elle a sans doute été collée avec sa mise en forme. Collez-la à nouveau depuis la page du fournisseur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The key contains an invisible character ({code}, {name}) at position {position}: it was probably pasted with formatting. Paste it again from the provider&apos;s page.</source>
        <translation>La clé contient un caractère invisible ({code}, {name}) à la position {position} : elle a sans doute été collée avec sa mise en forme. Collez-la à nouveau depuis la page du fournisseur.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+8"/>
        <source>Saving…</source>
        <translation>Enregistrement…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key kept for this session only.</source>
        <translation>Clé gardée pour cette session seulement.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Remove key</source>
        <translation>Supprimer la clé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the {name} key from the keychain?</source>
        <translation>Supprimer la clé {name} du trousseau&#xa0;?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Removing…</source>
        <translation>Suppression…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Testing…</source>
        <translation>Test en cours…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The keychain did not store the key: {reason}</source>
        <translation>Le trousseau n’a pas enregistré la clé&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No keychain: key kept for this session only.</source>
        <translation>Pas de trousseau&#xa0;: clé gardée pour cette session seulement.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Key saved in the keychain.</source>
        <translation>Clé enregistrée dans le trousseau.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The keychain did not remove the key: {reason}</source>
        <translation>Le trousseau n’a pas supprimé la clé&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Key removed.</source>
        <translation>Clé supprimée.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Keychain</source>
        <translation>Trousseau</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This session only</source>
        <translation>Cette session seulement</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Environment variable {name}</source>
        <translation>Variable d’environnement {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not set</source>
        <translation>Aucune clé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The test failed unexpectedly; the details are in the log file.</source>
        <translation>Le test a échoué de façon inattendue ; les détails sont dans le fichier journal.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The key works, but the service lists no models.</source>
        <translation>La clé fonctionne, mais le service ne propose aucun modèle.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Key works: 1 model available.</source>
        <translation>La clé fonctionne&#xa0;: 1 modèle disponible.</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Key works: %n models available.</source>
        <translation>
            <numerusform>La clé fonctionne&#xa0;: %n modèle disponible.</numerusform>
            <numerusform>La clé fonctionne&#xa0;: %n modèles disponibles.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ListActions</name>
    <message>
        <location filename="../../ui/sidebar/list_actions.py" line="+45"/>
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+28"/>
        <source>Pin</source>
        <translation>Épingler</translation>
    </message>
    <message>
        <location line="-26"/>
        <location line="+29"/>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message numerus="yes">
        <location line="-6"/>
        <source>Pin %n conversation(s)</source>
        <translation>
            <numerusform>Épingler %n conversation</numerusform>
            <numerusform>Épingler %n conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Unpin %n conversation(s)</source>
        <translation>
            <numerusform>Désépingler %n conversation</numerusform>
            <numerusform>Désépingler %n conversations</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unpin</source>
        <translation>Désépingler</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Delete %n conversation(s)…</source>
        <translation>
            <numerusform>Supprimer %n conversation…</numerusform>
            <numerusform>Supprimer %n conversations…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Delete conversations</source>
        <translation>Supprimer des conversations</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Delete %n conversation(s) and all their messages? This cannot be undone.</source>
        <translation>
            <numerusform>Supprimer %n conversation et tous ses messages&#xa0;? Cette action est irréversible.</numerusform>
            <numerusform>Supprimer %n conversations et tous leurs messages&#xa0;? Cette action est irréversible.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete conversation</source>
        <translation>Supprimer la conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete “{title}” and all its messages? This cannot be undone.</source>
        <translation>Supprimer «&#xa0;{title}&#xa0;» et tous ses messages&#xa0;? Cette action est irréversible.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New conversation</source>
        <translation>Nouvelle conversation</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
</context>
<context>
    <name>LocalServerWatch</name>
    <message>
        <location filename="../../ui/window/local_servers.py" line="+115"/>
        <source>Found %1 on this computer: %2. It is selected.</source>
        <translation>%1 trouvé sur cet ordinateur&#xa0;: %2. Il est sélectionné.</translation>
    </message>
</context>
<context>
    <name>LongPasteOffer</name>
    <message>
        <location filename="../../ui/composer/paste_offer.py" line="+30"/>
        <source>Attach as a file</source>
        <translation>Joindre comme fichier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paste into the message</source>
        <translation>Coller dans le message</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The pasted text is long ({count} characters).</source>
        <translation>Le texte collé est long ({count} caractères).</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/window/main_window.py" line="+197"/>
        <source>%1 — DesktopChat</source>
        <translation>%1 — DesktopChat</translation>
    </message>
</context>
<context>
    <name>MessageActions</name>
    <message>
        <location filename="../../ui/chat/message_actions.py" line="+56"/>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Delete messages</source>
        <translation>Supprimer des messages</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete this message and everything that follows it, in every branch? This cannot be undone.</source>
        <translation>Supprimer ce message et tout ce qui le suit, dans toutes les branches ? Cette action est irréversible.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Wait for the reply to finish, or stop it (Esc).</source>
        <translation>Attendez la fin de la réponse, ou arrêtez-la (Échap).</translation>
    </message>
</context>
<context>
    <name>ModelChoice</name>
    <message>
        <location filename="../../ui/models/choice.py" line="+135"/>
        <source>Could not load the model list: %1</source>
        <translation>Impossible de charger la liste des modèles&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../../ui/models/picker.py" line="+66"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Pick a provider first</source>
        <translation>Choisissez d’abord un fournisseur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pick or type a model first</source>
        <translation>Choisissez ou saisissez d’abord un modèle</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Showing the first %1 of %2 models</source>
        <translation>Affichage des %1 premiers modèles sur %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>1 model available</source>
        <translation>1 modèle disponible</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n models available</source>
        <translation>
            <numerusform>%n modèle disponible</numerusform>
            <numerusform>%n modèles disponibles</numerusform>
        </translation>
    </message>
    <message>
        <location line="+64"/>
        <source>pick a model</source>
        <translation>choisir un modèle</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Model: %1 (%2). Click to pick another.</source>
        <translation>Modèle : %1 (%2). Cliquez pour en choisir un autre.</translation>
    </message>
    <message>
        <location filename="../../ui/models/picker_delegate.py" line="+81"/>
        <source>vision</source>
        <translation>vision</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reads images</source>
        <translation>Lit les images</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>reasoning</source>
        <translation>raisonnement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasons before it answers</source>
        <translation>Raisonne avant de répondre</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>tools</source>
        <translation>outils</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calls tools</source>
        <translation>Appelle des outils</translation>
    </message>
    <message>
        <location filename="../../ui/models/picker_rows.py" line="+103"/>
        <source>%1 context</source>
        <translation>contexte %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>$%1 / $%2 per M</source>
        <translation>%1 $ / %2 $ par M</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>Favourites</source>
        <translation>Favoris</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recent</source>
        <translation>Récents</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>add key</source>
        <translation>ajouter une clé</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not load: retry</source>
        <translation>Échec du chargement : réessayer</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Use “%1” with %2</source>
        <translation>Utiliser « %1 » avec %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Without a key yet</source>
        <translation>Sans clé pour l’instant</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../ui/window/notice_bar.py" line="+28"/>
        <location line="+1"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>PickerPopup</name>
    <message>
        <location filename="../../ui/models/picker_popup.py" line="+47"/>
        <source>Search models of every provider, or type a model id</source>
        <translation>Chercher parmi les modèles de tous les fournisseurs, ou saisir un identifiant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search models</source>
        <translation>Chercher un modèle</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>Refresh the model lists</source>
        <translation>Actualiser les listes de modèles</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
</context>
<context>
    <name>PreferencesTab</name>
    <message>
        <location filename="../../ui/settings/preferences.py" line="+36"/>
        <location line="+10"/>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A new language takes effect when DesktopChat restarts.</source>
        <translation>Une nouvelle langue s’applique au redémarrage de DesktopChat.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The longest reply a model may write, in tokens.</source>
        <translation>La longueur maximale d’une réponse, en jetons.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> s</source>
        <translation>&#xa0;s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How long to wait for a service to start answering before giving up.</source>
        <translation>Combien de temps attendre qu’un service commence à répondre avant d’abandonner.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Enter sends the message (Shift+Enter for a new line)</source>
        <translation>&amp;Entrée envoie le message (Maj+Entrée pour aller à la ligne)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check for new &amp;versions once a day</source>
        <translation>Chercher une nouvelle &amp;version une fois par jour</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reads a small release note; nothing is downloaded or installed.</source>
        <translation>Lit une courte note de version&#xa0;; rien n’est téléchargé ni installé.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not configured (https://…)</source>
        <translation>Non configuré (https://…)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Theme:</source>
        <translation>&amp;Thème&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Default &amp;maximum tokens:</source>
        <translation>Jetons &amp;max. par défaut&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;quest timeout:</source>
        <translation>&amp;Délai d’attente&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Release &amp;feed:</source>
        <translation>&amp;Flux des versions&#xa0;:</translation>
    </message>
</context>
<context>
    <name>ProjectDialog</name>
    <message>
        <location filename="../../ui/library/project_dialog.py" line="+52"/>
        <source>an image: project files are sent as text (text files, PDF)</source>
        <translation>une image : les fichiers d’un projet sont envoyés comme texte (fichiers texte, PDF)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no text found (a scanned PDF?)</source>
        <translation>aucun texte trouvé (un PDF numérisé ?)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the project has as many files as it may hold</source>
        <translation>le projet contient déjà autant de fichiers qu’il peut en avoir</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the project&apos;s files would hold too much text together</source>
        <translation>les fichiers du projet contiendraient trop de texte ensemble</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Project settings</source>
        <translation>Réglages du projet</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Instructions every conversation here starts with</source>
        <translation>Les instructions par lesquelles commence chaque conversation du projet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>As the window is set</source>
        <translation>Comme dans la fenêtre</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model id, e.g. gpt-4o-mini</source>
        <translation>Identifiant du modèle, p. ex. gpt-4o-mini</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model default</source>
        <translation>Défaut du modèle</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tools on in new conversations</source>
        <translation>Outils activés dans les nouvelles conversations</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Project files</source>
        <translation>Fichiers du projet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add files…</source>
        <translation>Ajouter des fichiers…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt</source>
        <translation>Consigne système</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Provider</source>
        <translation>Fournisseur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation>Température</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Add files to the project</source>
        <translation>Ajouter des fichiers au projet</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Reading {name} ({index} of {count})…</source>
        <translation>Lecture de {name} ({index} sur {count})…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Not added: {files}</source>
        <translation>Non ajoutés&#xa0;: {files}</translation>
    </message>
</context>
<context>
    <name>ProjectLink</name>
    <message>
        <location filename="../../ui/library/project_link.py" line="+98"/>
        <location line="+89"/>
        <source>New project</source>
        <translation>Nouveau projet</translation>
    </message>
    <message>
        <location line="-42"/>
        <source>Delete project</source>
        <translation>Supprimer le projet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete the project “{name}” and its files? Its conversations are kept, outside any project.</source>
        <translation>Supprimer le projet «&#xa0;{name}&#xa0;» et ses fichiers&#xa0;? Ses conversations sont conservées, hors de tout projet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Move to project</source>
        <translation>Déplacer vers le projet</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>New project…</source>
        <translation>Nouveau projet…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove from project</source>
        <translation>Retirer du projet</translation>
    </message>
</context>
<context>
    <name>ProjectWords</name>
    <message numerus="yes">
        <location filename="../../ui/library/project_uses.py" line="+18"/>
        <source>%Ln passages</source>
        <translation>
            <numerusform>%Ln passage</numerusform>
            <numerusform>%Ln passages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln more</source>
        <translation>
            <numerusform>%Ln autre</numerusform>
            <numerusform>%Ln autres</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln characters</source>
        <translation>
            <numerusform>%Ln caractère</numerusform>
            <numerusform>%Ln caractères</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Project files used: {files}</source>
        <translation>Fichiers du projet utilisés&#xa0;: {files}</translation>
    </message>
</context>
<context>
    <name>ProjectsPanel</name>
    <message>
        <location filename="../../ui/library/projects_panel.py" line="+114"/>
        <location line="+18"/>
        <source>Projects</source>
        <translation>Projets</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+1"/>
        <location line="+113"/>
        <source>New project</source>
        <translation>Nouveau projet</translation>
    </message>
    <message>
        <location line="-107"/>
        <location line="+1"/>
        <location line="+99"/>
        <source>New chat in project</source>
        <translation>Nouvelle discussion dans le projet</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>All conversations</source>
        <translation>Toutes les conversations</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Project settings…</source>
        <translation>Réglages du projet…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete project…</source>
        <translation>Supprimer le projet…</translation>
    </message>
</context>
<context>
    <name>PromptFiles</name>
    <message>
        <location filename="../../ui/library/prompt_files.py" line="+34"/>
        <source>Import prompts</source>
        <translation>Importer des prompts</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Nothing was imported</source>
        <translation>Rien n’a été importé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1

Your prompts are unchanged.</source>
        <translation>%1

Vos prompts sont inchangés.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Prompts imported</source>
        <translation>Prompts importés</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export prompts</source>
        <translation>Exporter les prompts</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export failed</source>
        <translation>Échec de l’export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The prompts could not be written to %1:
%2</source>
        <translation>Les prompts n’ont pas pu être écrits dans %1 :
%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The file is no longer there.</source>
        <translation>Le fichier n’est plus là.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file could not be read (%1).</source>
        <translation>Le fichier n’a pas pu être lu (%1).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file is larger than %1, too large for a prompt library.</source>
        <translation>Le fichier dépasse %1 : trop grand pour une bibliothèque de prompts.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file is not text (UTF-8).</source>
        <translation>Le fichier n’est pas du texte (UTF-8).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file is not valid JSON.</source>
        <translation>Le fichier n’est pas du JSON valide.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file holds more than %1 prompts.</source>
        <translation>Le fichier contient plus de %1 prompts.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file is not a prompt library: it should hold a list of prompts, each with a name and a body, as Export writes.</source>
        <translation>Le fichier n’est pas une bibliothèque de prompts : il doit contenir une liste de prompts, chacun avec un nom et un texte, comme l’écrit Exporter.</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%Ln prompt(s) added.</source>
        <translation>
            <numerusform>%Ln prompt ajouté.</numerusform>
            <numerusform>%Ln prompts ajoutés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%Ln had the name of another prompt of yours and came in under a new name:</source>
        <translation>
            <numerusform>%Ln portait le nom d’un autre de vos prompts et a été ajouté sous un nouveau nom :</numerusform>
            <numerusform>%Ln portaient le nom d’un autre de vos prompts et ont été ajoutés sous un nouveau nom :</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%Ln already in your library, with the same text, left out:</source>
        <translation>
            <numerusform>%Ln déjà dans votre bibliothèque, avec le même texte, laissé de côté :</numerusform>
            <numerusform>%Ln déjà dans votre bibliothèque, avec le même texte, laissés de côté :</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%Ln entries of the file were not prompts and were left out.</source>
        <translation>
            <numerusform>%Ln entrée du fichier n’était pas un prompt et a été laissée de côté.</numerusform>
            <numerusform>%Ln entrées du fichier n’étaient pas des prompts et ont été laissées de côté.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>and %Ln more</source>
        <translation>
            <numerusform>et %Ln autre</numerusform>
            <numerusform>et %Ln autres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PromptLibraryDialog</name>
    <message>
        <location filename="../../ui/library/prompts.py" line="+48"/>
        <source>Prompts</source>
        <translation>Prompts</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Search prompts (Ctrl+F)</source>
        <translation>Rechercher un prompt (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search prompts</source>
        <translation>Rechercher un prompt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved prompts</source>
        <translation>Prompts enregistrés</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;New</source>
        <translation>&amp;Nouveau</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New prompt (Ctrl+N)</source>
        <translation>Nouveau prompt (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Du&amp;plicate</source>
        <translation>Du&amp;pliquer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Duplicate (Ctrl+D)</source>
        <translation>Dupliquer (Ctrl+D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete (Del)</source>
        <translation>Supprimer (Suppr)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+1"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Prompt text</source>
        <translation>Texte du prompt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The prompt&apos;s text. {{name}} makes a field to fill in each time; built in: {{date}}, {{time}}, {{clipboard}}, {{selection}} (the text selected in the conversation).</source>
        <translation>Le texte du prompt. {{name}} crée un champ à remplir à chaque fois ; fournis par l’application : {{date}}, {{time}}, {{clipboard}}, {{selection}} (le texte sélectionné dans la conversation).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Insert into message</source>
        <translation>&amp;Insérer dans le message</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Entrée</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>I&amp;mport…</source>
        <translation>I&amp;mporter…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E&amp;xport…</source>
        <translation>E&amp;xporter…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>No prompt matches your search.</source>
        <translation>Aucun prompt ne correspond à votre recherche.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No saved prompts yet.
New (Ctrl+N) starts one; Import… brings a file of them.</source>
        <translation>Aucun prompt enregistré pour l’instant.
Nouveau (Ctrl+N) en commence un ; Importer… en apporte un fichier.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Fields to fill in: %1</source>
        <translation>Champs à remplir : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filled by the app: %1</source>
        <translation>Remplis par l’application : %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No {{variables}}: used as written.</source>
        <translation>Pas de {{variables}} : utilisé tel quel.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>New prompt</source>
        <translation>Nouveau prompt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>copy</source>
        <translation>copie</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Deleted “%1”.</source>
        <translation>« %1 » supprimé.</translation>
    </message>
    <message numerus="yes">
        <location line="+35"/>
        <source>%Ln prompt(s) exported to %1</source>
        <translation>
            <numerusform>%Ln prompt exporté dans %1</numerusform>
            <numerusform>%Ln prompts exportés dans %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PromptLink</name>
    <message>
        <location filename="../../ui/library/prompt_link.py" line="+161"/>
        <source>Nothing was selected in the conversation: {{selection}} was left as typed.</source>
        <translation>Rien n’était sélectionné dans la conversation : {{selection}} est resté tel quel.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The clipboard holds no text: {{clipboard}} was left as typed.</source>
        <translation>Le presse-papiers ne contient pas de texte : {{clipboard}} est resté tel quel.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Only the first %1 characters of the clipboard or selection were used.</source>
        <translation>Seuls les %1 premiers caractères du presse-papiers ou de la sélection ont été utilisés.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>It was kept as %1.</source>
        <translation>Il a été conservé sous %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It could not be moved aside (%1), so new prompts will not be saved until it is moved or deleted.</source>
        <translation>Il n’a pas pu être mis de côté (%1) : les nouveaux prompts ne seront pas enregistrés tant qu’il n’est pas déplacé ou supprimé.</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Some saved prompts could not be read and were left out (%Ln).</source>
        <translation>
            <numerusform>Un prompt enregistré n’a pas pu être lu et a été laissé de côté (%Ln).</numerusform>
            <numerusform>Des prompts enregistrés n’ont pas pu être lus et ont été laissés de côté (%Ln).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your saved prompts could not be read.</source>
        <translation>Vos prompts enregistrés n’ont pas pu être lus.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompts</source>
        <translation>Prompts</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your prompts could not be saved: %1</source>
        <translation>Vos prompts n’ont pas pu être enregistrés : %1</translation>
    </message>
</context>
<context>
    <name>PromptPicker</name>
    <message>
        <location filename="../../ui/library/prompt_picker.py" line="+61"/>
        <source>Type to filter your prompts</source>
        <translation>Tapez pour filtrer vos prompts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter prompts</source>
        <translation>Filtrer les prompts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved prompts</source>
        <translation>Prompts enregistrés</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>No prompt matches</source>
        <translation>Aucun prompt ne correspond</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No saved prompts yet</source>
        <translation>Aucun prompt enregistré pour l’instant</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Manage prompts… (Ctrl+Shift+P)</source>
        <translation>Gérer les prompts… (Ctrl+Maj+P)</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <location filename="../../ui/support/translation.py" line="+25"/>
        <source>Drive</source>
        <translation>Lecteur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>Dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shortcut</source>
        <comment>All other platforms</comment>
        <translation>Raccourci</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <location line="-5"/>
        <source>&amp;Look in:</source>
        <translation>&amp;Voir dans&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files of &amp;type:</source>
        <translation>Fichiers de &amp;type&#xa0;:</translation>
    </message>
</context>
<context>
    <name>ReplyPresenter</name>
    <message>
        <location filename="../../ui/chat/reply_presenter.py" line="+154"/>
        <source>Tools were not offered: %1</source>
        <translation>Les outils n’ont pas été proposés&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The provider did not accept the %1, so the request was sent without it: %2</source>
        <translation>Le fournisseur n’accepte pas le paramètre «&#xa0;%1&#xa0;»&#xa0;; la requête a été envoyée sans lui&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Your history could not be saved: %1. What is on screen stays until you close the window.</source>
        <translation>Impossible d’enregistrer votre historique&#xa0;: %1. Ce qui est affiché reste visible jusqu’à la fermeture de la fenêtre.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>This conversation was deleted, perhaps by another DesktopChat window. Your message is still in the box: press Send to start a new conversation with it.</source>
        <translation>Cette conversation a été supprimée, peut-être par une autre fenêtre de DesktopChat. Votre message est toujours dans la zone de saisie : appuyez sur Envoyer pour commencer une nouvelle conversation avec lui.</translation>
    </message>
</context>
<context>
    <name>Restore</name>
    <message>
        <location filename="../../ui/library/restore_dialog.py" line="+43"/>
        <source>Restore from backup</source>
        <translation>Restaurer une sauvegarde</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Backups</source>
        <translation>Sauvegardes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What merging adds</source>
        <translation>Ce que la fusion ajoute</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Merge into the history</source>
        <translation>&amp;Fusionner avec l’historique</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Replace the history…</source>
        <translation>&amp;Remplacer l’historique…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Copies of your history, newest first:</source>
        <translation>Copies de votre historique, les plus récentes d’abord :</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>There is no backup yet.</source>
        <translation>Il n’y a pas encore de sauvegarde.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reading the backup…</source>
        <translation>Lecture de la sauvegarde…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Every conversation of this backup is in the history.</source>
        <translation>Toutes les conversations de cette sauvegarde sont dans l’historique.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Merging adds %1 (%2):</source>
        <translation>La fusion ajoute %1 (%2)&#xa0;:</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Added from the backup: %1 (%2).</source>
        <translation>Ajouté depuis la sauvegarde&#xa0;: %1 (%2).</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>(untitled)</source>
        <translation>(sans titre)</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+48"/>
        <source>Restore failed</source>
        <translation>Échec de la restauration</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Backup merged</source>
        <translation>Sauvegarde fusionnée</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Replace the history</source>
        <translation>Remplacer l’historique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace the whole history with the backup of %1 the next time DesktopChat starts? Conversations made since then will be gone from it; a copy of the current history is kept among the backups first.</source>
        <translation>Remplacer tout l’historique par la sauvegarde du %1 au prochain démarrage de DesktopChat ? Les conversations créées depuis n’y seront plus ; une copie de l’historique actuel est d’abord gardée parmi les sauvegardes.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Restart to finish</source>
        <translation>Redémarrer pour terminer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit and start DesktopChat again: the history is replaced as it starts.</source>
        <translation>Quittez puis relancez DesktopChat : l’historique est remplacé au démarrage.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>cannot be read</source>
        <translation>illisible</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>before an update</source>
        <translation>avant une mise à jour</translation>
    </message>
</context>
<context>
    <name>SaveStatusLabel</name>
    <message>
        <location filename="../../ui/window/save_status.py" line="+34"/>
        <source>Saving is behind: another program holds the history</source>
        <translation>Enregistrement en retard : un autre programme verrouille l’historique</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your history has been locked by another program for minutes, so new messages cannot be saved yet. Nothing is lost while DesktopChat stays open: close the program that holds it (a database browser, a sync tool) and everything is saved.</source>
        <translation>Votre historique est verrouillé par un autre programme depuis plusieurs minutes : les nouveaux messages ne peuvent pas encore être enregistrés. Rien n’est perdu tant que DesktopChat reste ouvert : fermez le programme qui le verrouille (un navigateur de base de données, un outil de synchronisation) et tout sera enregistré.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your history file was deleted while DesktopChat was running. Everything it held was saved again to %1, with your new messages.</source>
        <translation>Le fichier de votre historique a été supprimé pendant que DesktopChat fonctionnait. Tout ce qu’il contenait a été enregistré de nouveau dans %1, avec vos nouveaux messages.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your history file was replaced by another file while DesktopChat was running. That file was left alone; your history and your new messages are saved to %1.</source>
        <translation>Le fichier de votre historique a été remplacé par un autre pendant que DesktopChat fonctionnait. Ce fichier n’a pas été touché ; votre historique et vos nouveaux messages sont enregistrés dans %1.</translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message>
        <location filename="../../ui/sidebar/search_results.py" line="+57"/>
        <source>New conversation</source>
        <translation>Nouvelle conversation</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>%n matching message(s)</source>
        <translation>
            <numerusform>%n message correspondant</numerusform>
            <numerusform>%n messages correspondants</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in {name}</source>
        <translation>dans {name}</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../../ui/settings/server_dialog.py" line="+50"/>
        <source>Edit tool server</source>
        <translation>Modifier le serveur d’outils</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add tool server</source>
        <translation>Ajouter un serveur d’outils</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A &amp;program on this computer</source>
        <translation>Un &amp;programme sur cet ordinateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A remote server (&amp;URL)</source>
        <translation>Un serveur distant (&amp;URL)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>npx, uvx, docker or a program&apos;s full path</source>
        <translation>npx, uvx, docker ou le chemin complet d’un programme</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>One argument a line</source>
        <translation>Un argument par ligne</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Variable name</source>
        <translation>Nom de la variable</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Variable value</source>
        <translation>Valeur de la variable</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remove this variable</source>
        <translation>Retirer cette variable</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a &amp;variable</source>
        <translation>Ajouter une &amp;variable</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Header name</source>
        <translation>Nom de l’en-tête</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Header value</source>
        <translation>Valeur de l’en-tête</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remove this header</source>
        <translation>Retirer cet en-tête</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a &amp;header</source>
        <translation>Ajouter un &amp;en-tête</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign in with &amp;OAuth</source>
        <translation>Se connecter avec &amp;OAuth</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your browser opens to sign in when the server asks; the tokens are kept in the keychain</source>
        <translation>Votre navigateur s’ouvre pour vous connecter quand le serveur le demande&#xa0;; les jetons sont gardés dans le trousseau</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Command:</source>
        <translation>&amp;Commande&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Arguments:</source>
        <translation>&amp;Arguments&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Address:</source>
        <translation>A&amp;dresse&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Environment variables:</source>
        <translation>Variables d’environnement&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Headers (kept in the keychain):</source>
        <translation>En-têtes (gardés dans le trousseau)&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Kind:</source>
        <translation>Type&#xa0;:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Remove the server and add it again to rename it</source>
        <translation>Pour le renommer, supprimez le serveur et ajoutez-le de nouveau</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Saving…</source>
        <translation>Enregistrement…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not save: %1</source>
        <translation>Impossible d’enregistrer&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>ServerForm</name>
    <message>
        <location filename="../../ui/settings/server_form.py" line="+75"/>
        <source>A header has a value but no name.</source>
        <translation>Un en-tête a une valeur mais pas de nom.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A variable has a value but no name.</source>
        <translation>Une variable a une valeur mais pas de nom.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“%1” cannot be a header name.</source>
        <translation>«&#xa0;%1&#xa0;» ne peut pas être un nom d’en-tête.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” cannot be a variable name (letters, digits, _).</source>
        <translation>«&#xa0;%1&#xa0;» ne peut pas être un nom de variable (lettres, chiffres, _).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is there twice.</source>
        <translation>%1 figure deux fois.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The value of %1 holds a line break.</source>
        <translation>La valeur de %1 contient un saut de ligne.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Give the server a name.</source>
        <translation>Donnez un nom au serveur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A name is at most 64 characters, without slashes or control characters.</source>
        <translation>Un nom fait au plus 64 caractères, sans barre oblique ni caractère de contrôle.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>There is already a server named %1.</source>
        <translation>Il existe déjà un serveur nommé %1.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The address must be a web address starting with https:// or http://.</source>
        <translation>L’adresse doit être une adresse web commençant par https:// ou http://.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Say which program starts the server.</source>
        <translation>Indiquez le programme qui démarre le serveur.</translation>
    </message>
</context>
<context>
    <name>ServersTab</name>
    <message>
        <location filename="../../ui/settings/endpoints.py" line="+79"/>
        <source>Local servers</source>
        <translation>Serveurs locaux</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;LM Studio:</source>
        <translation>&amp;LM Studio&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Olla&amp;ma:</source>
        <translation>Olla&amp;ma&#xa0;:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Leave empty to use the default address.</source>
        <translation>Laissez vide pour utiliser l’adresse par défaut.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>International (Singapore)</source>
        <translation>International (Singapour)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mainland China (Beijing)</source>
        <translation>Chine continentale (Pékin)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Qwen (DashScope)</source>
        <translation>Qwen (DashScope)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Region:</source>
        <translation>&amp;Région&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A DashScope key works only in its own region.</source>
        <translation>Une clé DashScope ne fonctionne que dans sa propre région.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your OpenAI-compatible endpoints</source>
        <translation>Vos points d’accès compatibles OpenAI</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Custom endpoints</source>
        <translation>Points d’accès personnalisés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;dd…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit…</source>
        <translation>Mo&amp;difier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remo&amp;ve</source>
        <translation>Supprim&amp;er</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>Remove endpoint</source>
        <translation>Supprimer le point d’accès</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove “{name}” and its key?</source>
        <translation>Supprimer «&#xa0;{name}&#xa0;» et sa clé&#xa0;?</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings/dialog.py" line="+95"/>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&amp;Keys</source>
        <translation>&amp;Clés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Servers</source>
        <translation>&amp;Serveurs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Preferences</source>
        <translation>&amp;Préférences</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>S&amp;ync</source>
        <translation>S&amp;ynchro</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>The server address marked in red is not used until it is corrected.</source>
        <translation>L’adresse de serveur marquée en rouge n’est pas utilisée tant qu’elle n’est pas corrigée.</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>The settings could not be saved ({reason}). Your changes are still here; free some disk space or check the folder&apos;s permissions, then try again.</source>
        <translation>Impossible d’enregistrer les paramètres ({reason}). Vos modifications sont conservées&#xa0;; libérez de l’espace disque ou vérifiez les droits du dossier, puis réessayez.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The removed endpoint&apos;s key could not be deleted: {reason}</source>
        <translation>Impossible de supprimer la clé du point d’accès retiré&#xa0;: {reason}</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../ui/window/shortcuts.py" line="+19"/>
        <source>Enter</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shift+Enter</source>
        <translation>Maj+Entrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Entrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Up (in an empty message box)</source>
        <translation>Haut (dans une zone de message vide)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/ (in an empty message box)</source>
        <translation>/ (dans une zone de message vide)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search conversations</source>
        <translation>Rechercher une conversation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send the message (when “Enter sends” is on)</source>
        <translation>Envoyer le message (quand « Entrée envoie » est activé)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New line in the message</source>
        <translation>Nouvelle ligne dans le message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send the message</source>
        <translation>Envoyer le message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit your last message</source>
        <translation>Modifier votre dernier message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the reply being written</source>
        <translation>Arrêter la réponse en cours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insert a saved prompt</source>
        <translation>Insérer un prompt enregistré</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompt library</source>
        <translation>Bibliothèque de prompts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Regenerate the last reply</source>
        <translation>Régénérer la dernière réponse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the last reply</source>
        <translation>Copier la dernière réponse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ask several models the same question, side by side</source>
        <translation>Poser la même question à plusieurs modèles, côte à côte</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search the web from the next message (where the model can)</source>
        <translation>Rechercher sur le web à partir du prochain message (si le modèle le peut)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save an edited message and send it again</source>
        <translation>Enregistrer un message modifié et le renvoyer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel editing a message</source>
        <translation>Annuler la modification d’un message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the conversation</source>
        <translation>Exporter la conversation</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rename the selected conversation, or the one shown</source>
        <translation>Renommer la conversation sélectionnée, ou celle affichée</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete the selected conversations, or the one shown</source>
        <translation>Supprimer les conversations sélectionnées, ou celle affichée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pin or unpin the conversation</source>
        <translation>Épingler ou désépingler la conversation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide or show the sidebar</source>
        <translation>Masquer ou afficher le panneau latéral</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next or previous search match</source>
        <translation>Occurrence suivante ou précédente de la recherche</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyboard shortcuts (this list)</source>
        <translation>Raccourcis clavier (cette liste)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location line="+23"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What they do</source>
        <translation>Action</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../ui/sidebar/sidebar.py" line="+79"/>
        <location line="+189"/>
        <location line="+1"/>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <location line="-187"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Commencer une nouvelle conversation (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+98"/>
        <source>Search conversations (Ctrl+K)</source>
        <translation>Rechercher (Ctrl+K)</translation>
    </message>
    <message>
        <location line="-97"/>
        <source>Search conversations</source>
        <translation>Rechercher une conversation</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Results</source>
        <translation>Résultats</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Search in {project} (Ctrl+K)</source>
        <translation>Rechercher dans {project} (Ctrl+K)</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>Show the sidebar</source>
        <translation>Afficher le panneau latéral</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hide the sidebar</source>
        <translation>Masquer le panneau latéral</translation>
    </message>
    <message>
        <location line="-183"/>
        <source>No results</source>
        <translation>Aucun résultat</translation>
    </message>
</context>
<context>
    <name>SidebarFold</name>
    <message>
        <location filename="../../ui/window/sidebar_fold.py" line="+42"/>
        <location line="+48"/>
        <source>Hide the sidebar</source>
        <translation>Masquer le panneau latéral</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the sidebar</source>
        <translation>Afficher le panneau latéral</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../ui/window/startup.py" line="+72"/>
        <source>the file is damaged</source>
        <translation>le fichier est endommagé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the file cannot be read</source>
        <translation>le fichier est illisible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it was written by a newer DesktopChat</source>
        <translation>il a été écrit par une version plus récente de DesktopChat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>it is read-only</source>
        <translation>il est en lecture seule</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another program holds it locked</source>
        <translation>un autre programme le verrouille</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Your history could not be opened (%1): %2</source>
        <translation>Impossible d’ouvrir votre historique (%1)&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The damaged file was kept as %1; a new, empty history was started.</source>
        <translation>Le fichier endommagé a été conservé sous %1&#xa0;; un nouvel historique vide a été créé.</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Keys kept for this session only were forgotten when DesktopChat quit: %1. Enter them again in Settings → Keys.</source>
        <translation>Les clés gardées pour cette session seulement ont été oubliées à la fermeture de DesktopChat&#xa0;: %1. Saisissez-les de nouveau dans Paramètres → Clés.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Don&apos;t show again</source>
        <translation>Ne plus afficher</translation>
    </message>
</context>
<context>
    <name>SyncCounts</name>
    <message numerus="yes">
        <location filename="../../ui/window/sync_words.py" line="+91"/>
        <source>%Ln new conversation(s)</source>
        <translation>
            <numerusform>%Ln nouvelle conversation</numerusform>
            <numerusform>%Ln nouvelles conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln new message(s)</source>
        <translation>
            <numerusform>%Ln nouveau message</numerusform>
            <numerusform>%Ln nouveaux messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln message(s) sent</source>
        <translation>
            <numerusform>%Ln message envoyé</numerusform>
            <numerusform>%Ln messages envoyés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln min ago</source>
        <translation>
            <numerusform>il y a %Ln min</numerusform>
            <numerusform>il y a %Ln min</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncLink</name>
    <message>
        <location filename="../../ui/window/sync_link.py" line="+207"/>
        <location line="+13"/>
        <source>Sync settings</source>
        <translation>Réglages de synchro</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Sync: %1</source>
        <translation>Synchro : %1</translation>
    </message>
</context>
<context>
    <name>SyncTab</name>
    <message>
        <location filename="../../ui/settings/sync.py" line="+79"/>
        <source>Where this history syncs</source>
        <translation>Où cet historique se synchronise</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Off</source>
        <translation>&amp;Désactivée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A &amp;folder</source>
        <translation>Un &amp;dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A &amp;WebDAV server</source>
        <translation>Un serveur &amp;WebDAV</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A folder Syncthing, Dropbox or Nextcloud carries, or a shared drive</source>
        <translation>Un dossier que Syncthing, Dropbox ou Nextcloud transporte, ou un disque partagé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Choose…</source>
        <translation>&amp;Choisir…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Fo&amp;lder:</source>
        <translation>Doss&amp;ier :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User:</source>
        <translation>&amp;Utilisateur :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password o&amp;r app token:</source>
        <translation>Mot de passe ou jeton d’applicatio&amp;n :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Passphrase</source>
        <translation>Phrase secrète</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This computer &amp;joins an existing sync</source>
        <translation>Cet ordinateur re&amp;joint une synchro existante</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start a n&amp;ew sync</source>
        <translation>Commencer une nouv&amp;elle synchro</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The same passphrase on every computer: everything synced is encrypted with it. It is kept in this computer&apos;s keychain only, never in the sync folder; without it the synced history cannot be read.</source>
        <translation>La même phrase secrète sur chaque ordinateur : tout ce qui est synchronisé est chiffré avec elle. Elle n’est gardée que dans le trousseau de cet ordinateur, jamais dans le dossier de synchro ; sans elle, l’historique synchronisé ne peut pas être lu.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save an&amp;d sync</source>
        <translation>Enregistrer et s&amp;ynchroniser</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Passp&amp;hrase:</source>
        <translation>&amp;Phrase secrète :</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync at start</source>
        <translation>Synchroniser au démarrage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E&amp;very</source>
        <translation>&amp;Toutes les</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Minutes between syncs</source>
        <translation>Minutes entre deux synchros</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync at &amp;quit</source>
        <translation>Synchroniser en &amp;quittant</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Last sync</source>
        <translation>Dernière synchro</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sync &amp;now</source>
        <translation>Synchroniser &amp;maintenant</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Already set; type to change</source>
        <translation>Déjà donnée ; tapez-en une autre pour la changer</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+126"/>
        <source>Kept in the keychain</source>
        <translation>Gardé dans le trousseau</translation>
    </message>
    <message>
        <location line="-93"/>
        <source>No successful sync yet.</source>
        <translation>Aucune synchro réussie pour l’instant.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Last successful sync: %1 (%2)</source>
        <translation>Dernière synchro réussie : %1 (%2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>It brought %1; it sent %2.</source>
        <translation>Elle a apporté : %1 ; elle a envoyé : %2.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 of %2 files</source>
        <translation>%1 fichiers sur %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Sync folder</source>
        <translation>Dossier de synchro</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Sync is off. What was synced stays in this history.</source>
        <translation>La synchro est désactivée. Ce qui a été synchronisé reste dans cet historique.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose the folder to sync with.</source>
        <translation>Choisissez le dossier avec lequel synchroniser.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Type the sync passphrase.</source>
        <translation>Tapez la phrase secrète de la synchro.</translation>
    </message>
</context>
<context>
    <name>SyncWords</name>
    <message>
        <location filename="../../ui/window/sync_words.py" line="-79"/>
        <source>This passphrase does not open the sync folder. Nothing was read or changed: give the passphrase used on the other computers.</source>
        <translation>Cette phrase secrète n’ouvre pas le dossier de synchro. Rien n’a été lu ni modifié : donnez la phrase secrète utilisée sur les autres ordinateurs.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sync needs its passphrase: set it in Settings → Sync.</source>
        <translation>La synchro a besoin de sa phrase secrète : donnez-la dans Réglages → Synchro.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sync needs the WebDAV password or app token: set it in Settings → Sync.</source>
        <translation>La synchro a besoin du mot de passe WebDAV ou du jeton d’application : donnez-le dans Réglages → Synchro.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The WebDAV server refused the user name or password (401): check them in Settings → Sync, or make a new app password.</source>
        <translation>Le serveur WebDAV a refusé le nom d’utilisateur ou le mot de passe (401) : vérifiez-les dans Réglages → Synchro, ou créez un nouveau mot de passe d’application.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The WebDAV server refused access to the sync folder (403).</source>
        <translation>Le serveur WebDAV a refusé l’accès au dossier de synchro (403).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The sync server cannot be reached: it may be down, the address may be wrong, or this computer is offline. The next sync tries again.</source>
        <translation>Le serveur de synchro est injoignable : il est peut-être arrêté, l’adresse est peut-être fausse, ou cet ordinateur est hors ligne. La prochaine synchro réessaiera.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The sync server did not answer in time. The next sync tries again.</source>
        <translation>Le serveur de synchro n’a pas répondu à temps. La prochaine synchro réessaiera.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The sync place has no room left (disk or quota full): free some space, and the next sync goes on.</source>
        <translation>Il n’y a plus de place là où se fait la synchro (disque ou quota plein) : libérez de l’espace, et la prochaine synchro continuera.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The sync folder is not there (an unplugged drive, a renamed folder?).</source>
        <translation>Le dossier de synchro est introuvable (un disque débranché, un dossier renommé ?).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The sync place answered more than a sync ever writes: refused.</source>
        <translation>Le lieu de synchro a répondu plus que ce qu’une synchro écrit jamais : refusé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A file in the sync folder was changed, cut short or is not ours: it was not used, and your history is untouched.</source>
        <translation>Un fichier du dossier de synchro a été modifié, tronqué ou ne vient pas de nous : il n’a pas été utilisé, et votre historique est intact.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another sync of this history is running (the desktopchat command?).</source>
        <translation>Une autre synchro de cet historique est en cours (la commande desktopchat ?).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The keychain could not be used for the sync secrets.</source>
        <translation>Le trousseau n’a pas pu être utilisé pour les secrets de la synchro.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This WebDAV address is refused: it must start with https:// (or http://) and hold no user name or password (give those in their own fields).</source>
        <translation>Cette adresse WebDAV est refusée : elle doit commencer par https:// (ou http://) et ne contenir ni nom d’utilisateur ni mot de passe (donnez-les dans leurs propres champs).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sync stopped. The next sync goes on from where it stopped.</source>
        <translation>Synchro arrêtée. La prochaine reprendra là où elle s’est arrêtée.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The sync ended unexpectedly (its process stopped). Nothing was lost: the next sync goes on from where it stopped.</source>
        <translation>La synchro s’est arrêtée de façon inattendue (son processus s’est terminé). Rien n’est perdu : la prochaine reprendra là où elle s’est arrêtée.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sync failed.</source>
        <translation>La synchro a échoué.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>nothing new</source>
        <translation>rien de nouveau</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>nothing</source>
        <translation>rien</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>just now</source>
        <translation>à l’instant</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Synced %1</source>
        <translation>Synchronisé %1</translation>
    </message>
</context>
<context>
    <name>SystemPromptEditor</name>
    <message>
        <location filename="../../ui/models/system_prompt.py" line="+26"/>
        <source>System prompt</source>
        <translation>Consigne système</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Instructions the model follows for this whole conversation (optional)</source>
        <translation>Instructions que le modèle suit pendant toute la conversation (facultatif)</translation>
    </message>
</context>
<context>
    <name>TargetPicker</name>
    <message>
        <location filename="../../ui/compare/dialog.py" line="-175"/>
        <source>Provider</source>
        <translation>Fournisseur</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
</context>
<context>
    <name>ToolServerNotices</name>
    <message>
        <location filename="../../ui/window/tool_notices.py" line="+56"/>
        <source>The tool server %1 is not running: %2</source>
        <translation>Le serveur d’outils %1 ne fonctionne pas&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it stopped.</source>
        <translation>il s’est arrêté.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open Settings → Tools</source>
        <translation>Ouvrir Paramètres → Outils</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Waiting for sign-in to %1 in your browser…</source>
        <translation>En attente de la connexion à %1 dans votre navigateur…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>ToolsTab</name>
    <message>
        <location filename="../../ui/settings/tools.py" line="+41"/>
        <source>MCP servers</source>
        <translation>Serveurs MCP</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s last messages</source>
        <translation>Les derniers messages du serveur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A&amp;dd…</source>
        <translation>&amp;Nouveau…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ed&amp;it…</source>
        <translation>&amp;Modifier…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+120"/>
        <source>&amp;Enable</source>
        <translation>&amp;Activer</translation>
    </message>
    <message>
        <location line="-118"/>
        <source>&amp;Restart</source>
        <translation>&amp;Redémarrer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re&amp;move</source>
        <translation>Supp&amp;rimer</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Paste servers in the mcp.json format: {&quot;mcpServers&quot;: …}</source>
        <translation>Collez des serveurs au format mcp.json : {&quot;mcpServers&quot;: …}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Add pasted servers</source>
        <translation>A&amp;jouter les serveurs collés</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tools allowed without asking</source>
        <translation>Outils autorisés sans demander</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;voke</source>
        <translation>Ré&amp;voquer</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Tools allowed without asking:</source>
        <translation>Outils autorisés sans demander :</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>starting</source>
        <translation>démarrage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation>en marche</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>en échec</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disabled</source>
        <translation>désactivé</translation>
    </message>
    <message numerus="yes">
        <location line="+19"/>
        <source>(%n tool(s))</source>
        <translation>
            <numerusform>(%n outil)</numerusform>
            <numerusform>(%n outils)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>always</source>
        <translation>toujours</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>in one conversation</source>
        <translation>dans une conversation</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Disable</source>
        <translation>&amp;Désactiver</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Waiting for sign-in in your browser…</source>
        <translation>En attente de la connexion dans votre navigateur…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Cancel sign-in</source>
        <translation>A&amp;nnuler la connexion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign &amp;out</source>
        <translation>Se dé&amp;connecter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign &amp;in</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Import from %1…</source>
        <translation>Importer depuis %1…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Could not import: %1</source>
        <translation>Import impossible : %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Added: %1</source>
        <translation>Ajouté : %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 was already there: added as %2</source>
        <translation>%1 existait déjà : ajouté sous le nom %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Already there: %1</source>
        <translation>Déjà présent : %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No server found.</source>
        <translation>Aucun serveur trouvé.</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <location filename="../../ui/support/units.py" line="+24"/>
        <location line="+5"/>
        <source>%1 s</source>
        <translation>%1&#xa0;s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 min %2 s</source>
        <translation>%1&#xa0;min %2&#xa0;s</translation>
    </message>
</context>
<context>
    <name>Updates</name>
    <message>
        <location filename="../../ui/window/update_notices.py" line="+65"/>
        <source>May DesktopChat check once a day whether a new version is out? It only reads a small release note; nothing is downloaded or installed. You can change this in Settings → Preferences.</source>
        <translation>DesktopChat peut-il vérifier une fois par jour si une nouvelle version est sortie&#xa0;? Il lit seulement une courte note de version&#xa0;; rien n’est téléchargé ni installé. Vous pourrez changer d’avis dans Paramètres → Préférences.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Check for updates</source>
        <translation>Vérifier les mises à jour</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No, thanks</source>
        <translation>Non, merci</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>DesktopChat %1 is available (you have %2).</source>
        <translation>DesktopChat %1 est disponible (vous avez la %2).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Released %1.</source>
        <translation>Publiée le %1.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Download page</source>
        <translation>Page de téléchargement</translation>
    </message>
</context>
<context>
    <name>UrlOverrideField</name>
    <message>
        <location filename="../../ui/settings/endpoints.py" line="-192"/>
        <source>{name} base URL</source>
        <translation>URL de base de {name}</translation>
    </message>
</context>
<context>
    <name>UsageChart</name>
    <message>
        <location filename="../../ui/library/usage_view.py" line="+73"/>
        <source>No usage yet</source>
        <translation>Aucune consommation pour l’instant</translation>
    </message>
</context>
<context>
    <name>UsageDialog</name>
    <message>
        <location line="-26"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 + unknown (%2 replies)</source>
        <translation>%1 + inconnu (%2 réponses)</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Usage</source>
        <translation>Consommation</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All time</source>
        <translation>Depuis le début</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Provider</source>
        <translation>Fournisseur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replies</source>
        <translation>Réponses</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Input tokens</source>
        <translation>Jetons en entrée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output tokens</source>
        <translation>Jetons en sortie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning</source>
        <translation>Raisonnement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cached</source>
        <translation>En cache</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cost</source>
        <translation>Coût</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Input, $ per million tokens</source>
        <translation>Entrée, $ par million de jetons</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output, $ per million tokens</source>
        <translation>Sortie, $ par million de jetons</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correct the price</source>
        <translation>Corriger le prix</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use the published price</source>
        <translation>Revenir au prix publié</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Input per million tokens</source>
        <translation>Entrée par million de jetons</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Output per million tokens</source>
        <translation>Sortie par million de jetons</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>%1 replies, %2 tokens, cost %3</source>
        <translation>%1 réponses, %2 jetons, coût %3</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>(tokens of %n replies estimated: their server reported none)</source>
        <translation>
            <numerusform>(jetons de %n réponse estimés&#xa0;: son serveur n’en a indiqué aucun)</numerusform>
            <numerusform>(jetons de %n réponses estimés&#xa0;: leur serveur n’en a indiqué aucun)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cost per day</source>
        <translation>Coût par jour</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tokens per day</source>
        <translation>Jetons par jour</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>Estimated for %n replies: their server reported no usage.</source>
        <translation>
            <numerusform>Estimé pour %n réponse&#xa0;: son serveur n’a indiqué aucune consommation.</numerusform>
            <numerusform>Estimé pour %n réponses&#xa0;: leur serveur n’a indiqué aucune consommation.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A provider no longer set up</source>
        <translation>Un fournisseur qui n’est plus configuré</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Pick a model to see or correct its price.</source>
        <translation>Choisissez un modèle pour voir ou corriger son prix.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The price of %1 is unknown: its costs say “unknown”.</source>
        <translation>Le prix de %1 est inconnu : ses coûts sont indiqués « inconnu ».</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>your correction</source>
        <translation>votre correction</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the service&apos;s model list</source>
        <translation>la liste des modèles du service</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a model on this computer (free)</source>
        <translation>un modèle sur cet ordinateur (gratuit)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the table shipped with DesktopChat, as of %1</source>
        <translation>la table fournie avec DesktopChat, à jour au %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Price of %1 from %2.</source>
        <translation>Prix de %1 d’après %2.</translation>
    </message>
</context>
<context>
    <name>ValueRow</name>
    <message>
        <location filename="../../ui/settings/value_rows.py" line="+51"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Secret</source>
        <translation>Secret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kept in the keychain, never in mcp.json</source>
        <translation>Gardé dans le trousseau, jamais dans mcp.json</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Kept in the keychain; type to replace</source>
        <translation>Gardé dans le trousseau&#xa0;; tapez pour le remplacer</translation>
    </message>
</context>
<context>
    <name>VariablesForm</name>
    <message>
        <location filename="../../ui/library/variables_form.py" line="+42"/>
        <source>Fill in “%1”</source>
        <translation>Remplir « %1 »</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>(cut to %1 characters)</source>
        <translation>(coupé à %1 caractères)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>nothing is selected in the conversation: left as typed</source>
        <translation>rien n’est sélectionné dans la conversation : laissé tel quel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the clipboard holds no text: left as typed</source>
        <translation>le presse-papiers ne contient pas de texte : laissé tel quel</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+20"/>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>&amp;Insert</source>
        <translation>&amp;Insérer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Put the text in the message box (Ctrl+Enter)</source>
        <translation>Mettre le texte dans la zone de message (Ctrl+Entrée)</translation>
    </message>
</context>
<context>
    <name>WebSearchToggle</name>
    <message>
        <location filename="../../ui/window/web_search_toggle.py" line="+49"/>
        <source>Search the &amp;web</source>
        <translation>Rechercher sur le &amp;web</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The next messages may search the web.</source>
        <translation>Les prochains messages pourront rechercher sur le web.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Web search is off for the next messages.</source>
        <translation>La recherche web est désactivée pour les prochains messages.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Claude searches the web with Anthropic&apos;s search ($10 per 1,000 searches).</source>
        <translation>Claude recherche sur le web avec la recherche d’Anthropic (10 $ les 1 000 recherches).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This OpenAI search model searches the web on every message.</source>
        <translation>Ce modèle de recherche d’OpenAI recherche sur le web à chaque message.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenRouter&apos;s web plugin searches for the model; OpenRouter bills it.</source>
        <translation>Le module web d’OpenRouter recherche pour le modèle ; OpenRouter le facture.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This model cannot search the web here. Web search works with Claude 3.5 and later on Anthropic, OpenAI&apos;s search models (such as gpt-4o-search-preview), and every model on OpenRouter.</source>
        <translation>Ce modèle ne peut pas rechercher sur le web ici. La recherche web fonctionne avec Claude 3.5 et suivants chez Anthropic, les modèles de recherche d’OpenAI (comme gpt-4o-search-preview) et tous les modèles d’OpenRouter.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search the web (%1). %2</source>
        <translation>Rechercher sur le web (%1). %2</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <location filename="../../ui/window/welcome.py" line="+24"/>
        <source>Welcome to DesktopChat</source>
        <translation>Bienvenue dans DesktopChat</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Add an API key for a provider in Settings, then pick a model and type below.
Running LM Studio or Ollama? Start its server and DesktopChat finds it by itself within seconds.</source>
        <translation>Ajoutez une clé d’API pour un fournisseur dans les Paramètres, puis choisissez un modèle et écrivez ci-dessous.
Vous utilisez LM Studio ou Ollama&#xa0;? Démarrez son serveur et DesktopChat le trouve tout seul en quelques secondes.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>DesktopChat looks for LM Studio and Ollama on this computer every few seconds</source>
        <translation>DesktopChat cherche LM Studio et Ollama sur cet ordinateur toutes les quelques secondes</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Look again</source>
        <translation>Chercher à nouveau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look for LM Studio and Ollama on this computer now</source>
        <translation>Chercher LM Studio et Ollama sur cet ordinateur maintenant</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Open Settings</source>
        <translation>Ouvrir les paramètres</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <location filename="../../ui/window/menus.py" line="+79"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New chat</source>
        <translation>&amp;Nouvelle discussion</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Export conversation…</source>
        <translation>&amp;Exporter la conversation…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export &amp;all…</source>
        <translation>Exporter &amp;tout…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Copy conversation as Markdown</source>
        <translation>&amp;Copier la conversation en Markdown</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Import…</source>
        <translation>&amp;Importer…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Restore from backup…</source>
        <translation>&amp;Restaurer une sauvegarde…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;ync now</source>
        <translation>S&amp;ynchroniser maintenant</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Regenerate the last reply</source>
        <translation>&amp;Régénérer la dernière réponse</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Copy &amp;last reply</source>
        <translation>Copier la &amp;dernière réponse</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Send to se&amp;veral models…</source>
        <translation>Envoyer à &amp;plusieurs modèles…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Prompts…</source>
        <translation>&amp;Prompts…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Search conversations</source>
        <translation>&amp;Rechercher une conversation</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>S&amp;top the reply</source>
        <translation>&amp;Arrêter la réponse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>Affic&amp;hage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Usage…</source>
        <translation>&amp;Consommation…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>Raccourcis &amp;clavier</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;About DesktopChat</source>
        <translation>À &amp;propos de DesktopChat</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Open a conversation to export it.</source>
        <translation>Ouvrez une conversation pour l’exporter.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Conversation copied as Markdown</source>
        <translation>Conversation copiée en Markdown</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Last reply copied</source>
        <translation>Dernière réponse copiée</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>There is no reply to regenerate yet.</source>
        <translation>Il n’y a pas encore de réponse à régénérer.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>About DesktopChat</source>
        <translation>À propos de DesktopChat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DesktopChat %1
A native desktop chat client for large language models.</source>
        <translation>DesktopChat %1
Un client de discussion natif pour les grands modèles de langage.</translation>
    </message>
</context>
<context>
    <name>_FindBar</name>
    <message>
        <location filename="../../ui/transcript/find_highlight.py" line="+153"/>
        <source>Previous match (Shift+F3)</source>
        <translation>Occurrence précédente (Maj+F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next match (F3)</source>
        <translation>Occurrence suivante (F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop marking the matches</source>
        <translation>Ne plus marquer les occurrences</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{number} of {count}</source>
        <translation>{number} sur {count}</translation>
    </message>
</context>
<context>
    <name>validate_base_url</name>
    <message>
        <location filename="../../ui/settings/endpoints.py" line="-153"/>
        <source>The address must start with http:// or https://.</source>
        <translation>L’adresse doit commencer par http:// ou https://.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The address has no host name.</source>
        <translation>L’adresse n’a pas de nom d’hôte.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The address must not contain ? or #.</source>
        <translation>L’adresse ne doit contenir ni «&#xa0;?&#xa0;» ni «&#xa0;#&#xa0;».</translation>
    </message>
</context>
</TS>
