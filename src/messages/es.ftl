# Las palabras propias del sitio en español (Project Fluent). Un sitio puede cambiar cualquiera en
# content/messages/es.ftl.

## Diseño de la página
skip-to-main = Ir al contenido principal
notice-label = Aviso sobre este sitio
nav-label = Sitio
nav-home = Inicio
nav-a-to-z = De la A a la Z
nav-topics = Temas
nav-reviewers = Nuestros revisores
search-label = Buscar en el sitio
search-placeholder = Buscar artículos
search-button = Buscar
changes-feed-title = { $site }: qué ha cambiado
language-nav-label = Idiomas
home-description = Información de salud para pacientes y profesionales sanitarios.

## Artículo
last-updated = Última actualización:
review-status-heading = Estado de la revisión
review-pending = Pendiente de revisión médica
review-details = Detalles de la revisión
review-caution = Nuestros revisores aún no han aprobado este artículo. Úselo con cuidado y consulte a un profesional sanitario antes de actuar.
review-steps-label = Pasos de la revisión
step-done = Hecho:
step-current = Paso actual:
step-todo = Todavía no:
step-submitted = Enviado
step-under-review = En revisión
step-approved = Aprobado
status-draft = Borrador
status-sample-approved = Aprobado (aprobación de muestra por revisores ficticios)
being-reviewed-by = Lo está revisando
reviewed-by = Revisado por
fictional-reviewer = (revisor ficticio de muestra)
fictional-reviewers = (revisores ficticios de muestra)
about-reviewers = Sobre nuestros revisores y sus intereses declarados
policy-link = Lea nuestra política editorial
policy-link-rest = para saber cómo se escriben y revisan los artículos.
last-reviewed = Última revisión
next-review = Próxima revisión prevista
review-due = Debía revisarse desde el { $date }. Nuestros revisores están comprobando que sigue al día; hasta entonces, este es el texto que aprobaron por última vez.
not-written-for = Este artículo aún no está escrito para «{ $requested }». Está leyendo la versión para «{ $shown }».
topics-label = Temas:
what-changed = Qué ha cambiado
sample-approval-by = Aprobación de muestra por { $reviewers } (revisores ficticios).
approved-by = Aprobado por { $reviewers }.
references = Referencias
ref-guideline = Guía clínica
ref-research = Investigación
ref-review = Revisión
ref-other = Otro
ref-source = Fuente
grade-key-heading = Grados de evidencia junto a las citas
disclaimer-label = Aviso legal
default-disclaimer = Esta información es educativa. No sustituye el consejo de un profesional sanitario que le conozca. Si le preocupa su salud, hable con su médico, enfermera o farmacéutico.
section-switch = Leer esta sección para: { $audience }

## Traducciones
translation-sample = Esta es una traducción de muestra: ningún traductor profesional ni clínico de lengua materna española la ha revisado todavía.
translation-out-of-date = Esta traducción sigue la versión en { $source } del { $follows }. La versión en { $source } se actualizó el { $updated }:
translation-out-of-date-undated = Esta traducción sigue una versión anterior en { $source }. La versión en { $source } se ha actualizado desde entonces:
translation-see-changes = vea qué ha cambiado
not-translated = Esta página aún no está traducida al { $language }. Está leyendo la versión en { $source }.
not-translated-link = Leerla en { $source }

## Tarjetas de atención
card-non-urgent = Consejo no urgente
card-urgent = Consejo urgente
card-emergency = Emergencia
card-note = Nota
card-tip = Consejo
card-important = Importante
card-warning = Advertencia
card-caution = Precaución

## ¿Qué le describe mejor?
audience-question = ¿Qué le describe mejor?
audience-versions = Versiones de este artículo
audience-why = Por qué lo preguntamos
audience-hint = Su elección nos ayuda a usar palabras adecuadas para usted. La recordamos en este dispositivo.
audience-showing = (se muestra ahora)
audience-show = Mostrar

## Preguntas de seguimiento
follow-up-label = ¿Tiene otra pregunta?
follow-up-hint = Solo respondemos con pasajes de nuestros artículos aprobados, nunca con texto nuevo. No podemos darle consejos sobre su caso.
follow-up-button = Preguntar
ask-title = Hacer otra pregunta
ask-your-question = Su pregunta: { $question }
ask-description = Respuestas a preguntas de seguimiento, tomadas de nuestros artículos revisados.
ask-none = No hemos encontrado en nuestros artículos revisados un pasaje que responda a esto.
ask-found = { $count ->
    [one] Este pasaje
   *[other] Estos { $count } pasajes
  } de nuestros artículos { $sample ->
    [yes] aprobados
   *[no] revisados
  } (versiones para { $audience }) pueden ayudarle.
ask-caution-sample = Estos pasajes proceden de artículos de muestra aprobados por revisores ficticios: ningún clínico real los ha comprobado. No son consejos sobre su caso: solo un profesional sanitario que le conozca puede dárselos.
ask-caution = Son pasajes escritos y comprobados por nuestros revisores para todas las personas que los leen. No son consejos sobre su caso: solo un profesional sanitario que le conozca puede dárselos.
ask-nothing-reviewed = Ninguno de nuestros artículos ha terminado la revisión médica, así que aún no hay texto revisado con el que responder.
ask-try-other-words = Pruebe a preguntar con otras palabras, o
ask-search-all = busque en todos nuestros artículos
ask-own-health = Si tiene una pregunta sobre su propia salud, consulte a su médico, enfermera o farmacéutico.
ask-from = De
ask-cites = Este pasaje cita:
ask-worried = Si le preocupan sus síntomas, contacte con su médico o con un servicio de salud de su zona.

## Opiniones
feedback-heading = ¿Le ha resultado útil esta página?
feedback-thanks = Gracias por su opinión. Nos ayuda a mejorar esta página.
feedback-yes = Sí
feedback-no = No
feedback-comment = ¿Qué faltaba o no estaba claro? (opcional)
feedback-comment-hint = No incluya datos personales de salud, como su nombre, sus síntomas o sus medicamentos. No podemos responder a los comentarios. Si necesita consejo médico, consulte a un profesional sanitario.
feedback-trap = Deje esto vacío
feedback-send = Enviar opinión
feedback-kept = Guardamos las respuestas durante un tiempo limitado y nunca su dirección.
feedback-what-we-store = Qué guardamos

## Listas
cards-topics = Temas:
articles-heading = Artículos
recently-updated = Actualizados recientemente
no-articles = Todavía no hay artículos.
see-all = Ver los { $total } artículos de la A a la Z
or-browse = o
browse-topics = explorar por temas
a-to-z-title = Artículos de la A a la Z
a-to-z-description = Todos los artículos, de la A a la Z.
a-to-z-choose = { $total } artículos. Elija la primera letra de lo que busca, o use el buscador.
letters-label = Letras
count-articles = { $count ->
    [one] artículo
   *[other] artículos
  }
topics-title = Temas
topics-description = Artículos por tema.
no-topics = Todavía no hay temas.
topic-description = Artículos sobre { $topic }.

## Búsqueda
search-title = Buscar
search-title-query = Buscar: { $query }
search-description = Buscar en los artículos.
search-our-articles = Buscar en nuestros artículos
search-none = Ningún artículo coincide con «{ $query }». Pruebe con menos palabras o con palabras más sencillas.
search-count = { $count ->
    [one] 1 artículo coincide
   *[other] { $count } artículos coinciden
  } con «{ $query }». Los enlaces llevan a las versiones para { $audience }, salvo que se indique otra cosa.
search-also = También buscamos palabras con el mismo significado:
search-found-in = Encontrado en la versión para { $audience }

## Errores
error-home-link = Ir a la lista de artículos
not-found-title = Página no encontrada
not-found-message = No hemos encontrado esa página. Puede que se haya movido o que la dirección esté mal escrita.
gone-title = Página retirada
gone-message = Esta página se ha retirado. Ya no forma parte de este sitio.
bad-request-title = Solicitud incorrecta
bad-request-message = No hemos podido entender esa solicitud.

## Fechas
date-in-words = { $day } de { $month } de { $year }
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre

## Rechazos
request-problem = Algo no estaba bien en esa solicitud
feedback-cross-site = Esa respuesta se envió desde otro sitio web, así que no la hemos guardado. Use el formulario de nuestra página.
feedback-not-here = Esa página no recibe opiniones. Vuelva atrás e inténtelo de nuevo.
feedback-choose = Elija Sí o No y vuelva a enviar su opinión.
feedback-too-long = Su comentario tiene más de 1000 caracteres. Acórtelo y vuelva a enviarlo.
feedback-bad-characters = Su comentario tiene caracteres que no podemos aceptar. Vuelva a escribirlo y envíelo de nuevo.
feedback-too-many = Ha enviado muchas opiniones en poco tiempo, así que no hemos guardado esta. Inténtelo de nuevo más tarde.
feedback-not-saved = No hemos podido guardarla. Inténtelo más tarde.
withdrawn-title = Este artículo se ha retirado
withdrawn-message = Retiramos este artículo el { $date } mientras nuestros revisores lo comprueban de nuevo. Volverá cuando lo aprueben. Si necesita consejo sobre su salud ahora, hable con su médico, enfermera o farmacéutico.
audience-cross-site = Esa elección se envió desde otro sitio web, así que no hemos cambiado nada. Vuelva a elegir en esta página.
audience-unknown = No ofrecemos esa opción. Vuelva atrás y elija de nuevo.

## Grados de evidencia
reference-word = Referencia
grade-certainty = GRADE: certeza { $level }
certainty-high = alta
certainty-moderate = moderada
certainty-low = baja
certainty-very-low = muy baja
grade-acc-aha = ACC/AHA: clase { $class }, NE { $level }
grade-nice = NICE: { $strength }
nice-offer = ofrecer
nice-consider = considerar
grade-key-grade = GRADE: cuánta certeza hay en la evidencia (certeza alta, moderada, baja o muy baja de que el efecto real se parezca al encontrado).
grade-key-acc-aha = ACC/AHA: clase de recomendación (I fuerte, IIa moderada, IIb débil, III sin beneficio o con daño) y nivel de evidencia (NE; A: evidencia de alta calidad de más de un ensayo aleatorizado o de su metanálisis; B-R: calidad moderada, aleatorizado; B-NR: calidad moderada, no aleatorizado u observacional; C-LD: datos limitados; C-EO: consenso de expertos).
grade-key-nice = NICE: la fuerza de la recomendación de NICE (ofrecer: la mayoría de las personas se beneficiarían; considerar: el beneficio es menos seguro o la elección más ajustada).

## Nombres de idiomas, como los nombra una frase en español
language-en = inglés
language-es = español
language-fr = francés
language-de = alemán
language-pt = portugués
language-zh = chino
language-ar = árabe
