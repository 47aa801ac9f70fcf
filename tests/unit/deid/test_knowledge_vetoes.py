"""Knowledge-based vetoes (issue 13 polish): medical eponyms, care settings, ranges and
measurements, Spanish common words. Each table: text that must be detected, and PHI-free
text that must come out of ``medfoundry deid text`` byte for byte. Names and numbers are
made up for these tests; phones use 555 numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medfoundry.cli.main import app
from medfoundry.deid import analyze_text
from medfoundry.deid.detectors.eponyms import eponyms, is_eponym
from medfoundry.deid.detectors.locations import is_care_setting

# (text, the PHI in it, its type)
MUST_DETECT: dict[str, list[tuple[str, str, str]]] = {
    "eponyms": [
        ("Seen by Dr. Crohn today.", "Crohn", "NAME"),
        ("seen by Dr. Alzheimer in clinic", "Alzheimer", "NAME"),
        ("Called Dr. Miller re: K 3.1", "Miller", "NAME"),
        ("Mr. Parkinson is resting.", "Parkinson", "NAME"),
        ("d/w Dr. Whipple re: plan", "Whipple", "NAME"),
        ("Wife Mary Bell at bedside.", "Mary Bell", "NAME"),
        ("Pt lives in Boston with wife.", "Boston", "LOCATION"),
    ],
    "care_settings": [
        (
            "Transferred from Kensington Memorial Hospital to MICU.",
            "Kensington Memorial Hospital",
            "LOCATION",
        ),
        ("Seen at St. Mary's, then to SNF.", "St. Mary's", "LOCATION"),
        ("transferred from Holy Cross to OSH", "Holy Cross", "LOCATION"),
        ("followed at VAMC for CHF", "VAMC", "LOCATION"),
        ("Transferred to Mercy Hospital ICU.", "Mercy Hospital", "LOCATION"),
        ("lives in Nashua, NH with son", "Nashua", "LOCATION"),
        ("lives in Portland, OR 97201", "OR", "LOCATION"),
    ],
    "ranges_and_measurements": [
        ("Phone 617-555-1234 for results", "617-555-1234", "PHONE"),
        ("cell (617) 555-0199, give 500-1000 ml", "(617) 555-0199", "PHONE"),
        ("call 555-1200 re: goal 120-140", "555-1200", "PHONE"),
        ("pager 500-1000 if MAP < 65", "500-1000", "PHONE"),
        ("Adm 3/10/15, lantus 3/10/15 units", "3/10/15", "DATE"),
        ("seen 4/6/08 in clinic", "4/6/08", "DATE"),
        ("s/p MVR 9/2/92", "9/2/92", "DATE"),
        ("Call 1-800-555-0123 after discharge", "1-800-555-0123", "PHONE"),
    ],
    # Spanish record, card and license labels (NHC, CIPA, NASS, Nº Col.)
    "spanish_record_and_license_numbers": [
        ("Ingreso: 03/02/2019.\nNHC: 5512093.\nEdad: 44 años.", "5512093", "MRN"),
        ("CIPA: nhc-5512093.", "nhc-5512093", "ID"),
        ("NASS: 31 04417720 55", "31 04417720 55", "ID"),
        ("Médico: Sagrario Ruiz Vela  NºCol: 18 18 40077.", "18 18 40077", "ID"),
        ("Firma el número de colegiado 46 46 10832.", "46 46 10832", "ID"),
    ],
    # one-word cities that web2 also lists as obscure words but SCOWL only capitalized
    "places_not_words": [
        ("Moved here from Warsaw last spring, still no doctor.", "Warsaw", "LOCATION"),
        ("Vive en Barcelona con su hija desde 2019.", "Barcelona", "LOCATION"),
    ],
    # Spanish postal codes after "CP" or before their town
    "spanish_postal_codes": [
        ("Localidad: Getafe.\nCP: 28904\nTeléfono: no consta", "28904", "ZIP"),
        ("Domicilio: Calle Mayor, 12 - 1º B 41004 Sevilla", "41004", "ZIP"),
        ("código postal 46021, Valencia", "46021", "ZIP"),
    ],
    # Spain's nine-digit numbers in threes or 2-3-2-2, after a phone word (Real Decreto 2296/2004); the
    # numbers are the ascending placeholders Spanish forms print as examples, as 555 is in the US
    "spanish_phones": [
        ("Contacto: Tel.: 912 345 678 E-mail: consulta", "912 345 678", "PHONE"),
        ("Su hijo dejó su número de móvil, que es el 612 345 678.", "612 345 678", "PHONE"),
        ("Llamar al teléfono 91 123 45 67 por la tarde.", "91 123 45 67", "PHONE"),
    ],
    "spanish_common_words": [
        ("Datos del paciente.\nNombre:  Pedro.\nApellidos: De Miguel Rivera.\n", "Pedro", "NAME"),
        ("Datos del paciente.\nNombre:  Pedro.\nApellidos: De Miguel Rivera.\n", "De Miguel Rivera", "NAME"),
        ("Rosa Garcia called re: plan", "Rosa Garcia", "NAME"),
        ("Daughter Rosa called.", "Rosa", "NAME"),
        ("Wife Luz at bedside.", "Luz", "NAME"),
        ("Dr. Cruz aware of K 3.1", "Cruz", "NAME"),
        ("d/w H.Fernández, MD re: bolus", "Fernández", "NAME"),
        ("Pt Maria Lopez, seen by Dr. Dolores Santos", "Maria Lopez", "NAME"),
        ("Marta called 3/20 about the plan.", "Marta", "NAME"),
    ],
    # names in patient messages that must survive the Spanish-message vetoes
    "patient_messages": [
        ("Mañana llevo a mi hija Rosa al pediatra porque tiene tos.", "Rosa", "NAME"),
        ("Me atendió la doctora Cruz y me cambió la dosis.", "Cruz", "NAME"),
        ("Hablé con Paz Gómez de la farmacia sobre la receta.", "Paz Gómez", "NAME"),
        ("Rosa tiene fiebre desde ayer, ¿le doy paracetamol?", "Rosa", "NAME"),
        ("el doctor ramirez me dijo que siguiera con la pastilla", "ramirez", "NAME"),
        ("mi hermano dijo que la doctora Marisol no estaba", "Marisol", "NAME"),
        ("my brother Kevin died last spring and I can't sleep", "Kevin", "NAME"),
        ("my wife Dolores said the pain is worse at night", "Dolores", "NAME"),
        ("seen by dr. abril zirme this morning", "abril zirme", "NAME"),
    ],
    "spanish_addresses_and_dates": [
        ("nací el 4 de noviembre de 1987 en el hospital", "4 de noviembre de 1987", "DATE"),
        ("la cita quedó para el 19 de agosto, ¿la puedo cambiar?", "19 de agosto", "DATE"),
        ("Fecha de alta: 30-dic-2021. Control en 2 semanas.", "30-dic-2021", "DATE"),
        ("empezó con la tos en octubre de 2019 y sigue", "octubre de 2019", "DATE"),
        ("seen on 21 October 2020 for follow-up", "21 October 2020", "DATE"),
        ("vivo en la Calle Olmos 44, 2º B, me pueden mandar la receta", "Calle Olmos 44, 2º B", "ADDRESS"),
        ("Domicilio: Avda. de los Tilos, 118.", "Avda. de los Tilos, 118", "ADDRESS"),
        ("enviar a C/ Peñalver nº 7, bajo", "C/ Peñalver nº 7", "ADDRESS"),
        ("mi mamá vive en calle hidalgo 230 colonia centro", "calle hidalgo 230", "ADDRESS"),
        ("Remitir a Apartado de Correos 4417", "Apartado de Correos 4417", "ADDRESS"),
        ("Avda. del Río 4, 41013. Sevilla. Tel. de la consulta", "Sevilla", "LOCATION"),
        ("Hola. Me mudé a Madrid el mes pasado", "Madrid", "LOCATION"),
    ],
    # patient messages: ages over 89, weekday dates, self-introductions, sign-offs, kinship words,
    # Spanish record labels and facilities, a ZIP after a city
    "patient_message_identifiers": [
        ("Grandma Odile turned 101 last month and still walks daily", "101", "AGE"),
        ("my uncle is in hospice. He's 93 and very weak now", "93", "AGE"),
        ("Benedetta Quaranti is 96 and lives alone, is that safe?", "96", "AGE"),
        ("a mi tía le duele la cadera, ya tiene 98 años", "98", "AGE"),
        ("la cita del viernes 23 la puedo mover?", "viernes 23", "DATE"),
        ("Could I switch my appointment to Wednesday the 4th?", "Wednesday the 4th", "DATE"),
        ("hey doc its marisol, the rash came back", "marisol", "NAME"),
        ("buenas tardes soy Yadira, tengo una pregunta", "Yadira", "NAME"),
        ("Hello, my name is Thi Hoa Nguyen and I need a refill", "Thi Hoa Nguyen", "NAME"),
        ("my son's name is Ezekiel, he is 4 and has a fever", "Ezekiel", "NAME"),
        ("The swelling went down after the ice. Thanks so much! Leonor", "Leonor", "NAME"),
        ("no me ha bajado la presión. Bendiciones, Graciela Montiel", "Graciela Montiel", "NAME"),
        ("my baby Zuri has a diaper rash", "Zuri", "NAME"),
        ("mi hija Ximena tiene calentura desde ayer", "Ximena", "NAME"),
        ("mi número de afiliado es 55 210 4417, lo necesitan?", "55 210 4417", "ID"),
        ("mi expediente es el 2209-118, gracias", "2209-118", "MRN"),
        ("me operaron en el Sanatorio Santa Brígida el año pasado", "Sanatorio Santa Brígida", "LOCATION"),
        ("send it to 8 Oak Ridge Rd, Amarillo, 79101 please", "79101", "ZIP"),
    ],
    # a real name in lowercase texting still is one next to the ordinary-word vetoes
    "patient_message_names_kept": [
        ("hey its bronwyn again, the fridge thermometer broke", "bronwyn", "NAME"),
        ("my grandson desmond has a rash on his belly", "desmond", "NAME"),
        ("mi nieta valentina toso toda la noche", "valentina", "NAME"),
        ("Could Dr. Quijada call me back about the newborn visit?", "Quijada", "NAME"),
        ("me atendio en el Hospital del Carmen la doctora", "Hospital del Carmen", "LOCATION"),
    ],
    # a medicine's place does not shield a person: a relation word, a title or the personal "a"
    # a surname particle joins a first name to the surname found after it (RAE Ortografía §4.2.4.1.1)
    "spanish_surname_particles": [
        ("El paciente Pedro de Miguel ingresa hoy.", "Pedro", "NAME"),
        ("El paciente Pedro De Miguel ingresa hoy.", "Pedro De Miguel", "NAME"),
    ],
    # the census lists names without diacritics; Spanish writes them ("García" is also a town)
    "accented_census_names": [
        ("La paciente Ana García acude a consulta.", "Ana García", "NAME"),
        ("Ana García came to the clinic today.", "Ana García", "NAME"),
    ],
    # a particle joins a surname that is also a frequent word to the name before it (RAE/ASALE 2010)
    "short_surnames_in_capitals": [
        ("Called COX at home about the refill.", "COX", "NAME"),
        ("Dr. LEE reviewed the scan.", "LEE", "NAME"),
    ],
    "surnames_after_a_title_in_lowercase": [
        ("me atendio la doctora rojas en la mañana", "rojas", "NAME"),
        ("called dr roberts about the refill", "roberts", "NAME"),
        ("nos vieron los doctores rojas y soto", "rojas", "NAME"),
    ],
    "surnames_after_particles": [
        ("Me atendió la Dra. Inés de la Fuente ayer.", "Fuente", "NAME"),
        ("Seen by Dr. Ana de la Fuente in clinic.", "Fuente", "NAME"),
        ("Remitido por: Tomás Oyarzún de la Torre.", "Torre", "NAME"),
        ("Hablé con la Sra. Rosa de la Vega por teléfono.", "Vega", "NAME"),
        ("El Dr. Julián del Río pasó visita.", "Río", "NAME"),
        ("Firma: Dra. Elvira de Zubizarreta.", "Zubizarreta", "NAME"),
    ],
    # census first names that web2 also lists as obscure lowercase words and SCOWL only capitalized
    "first_names_not_words": [
        ("Can Nancy pick up my prescription today?", "Nancy", "NAME"),
        ("I asked Betty to bring my glucose log.", "Betty", "NAME"),
        ("Steven has had a fever of 101 since last night.", "Steven", "NAME"),
        ("Please tell Donna the appointment moved.", "Donna", "NAME"),
        ("Amy is my daughter and she will drive me.", "Amy", "NAME"),
    ],
    # a top-150 census first name that is also a word, capitalized alone mid-sentence by a writer who
    # capitalizes no common word there
    "name_words_capitalized_mid_sentence": [
        ("Can Peter pick up my prescription today?", "Peter", "NAME"),
        ("I asked Frank to call you back after lunch.", "Frank", "NAME"),
        ("Please give Carol the forms when she comes.", "Carol", "NAME"),
        ("Hoy Carlos llamó para pedir la receta.", "Carlos", "NAME"),
        ("Is Carol coming with you to the visit?", "Carol", "NAME"),
    ],
    # at a sentence's start only a person is coordinated with "I", called on before a question to
    # "you", or set beside a relation; a function word after is no finding; a weekday's capital says
    # nothing of the writer's habit
    "name_words_that_only_a_person_fits": [
        ("Carol and I will be at the front desk by nine.", "Carol", "NAME"),
        # in all-lowercase or all-caps texting, a name SCOWL writes only capitalized
        ("can steven pick it up tmrw", "steven", "NAME"),
        ("tell nancy the appt moved to 3", "nancy", "NAME"),
        ("CAN BETTY BRING MY MEDS TONIGHT", "BETTY", "NAME"),
        # a surname that is also a Spanish word without its accent, after a title noun
        ("la doctora limon me dijo que volviera el lunes", "limon", "NAME"),
        ("Rose, could you ask the doctor about my refill?", "Rose", "NAME"),
        ("Frank, our neighbor, drove me to the lab.", "Frank", "NAME"),
        ("I left the forms with Carol from the front desk.", "Carol", "NAME"),
        ("On Tuesday Peter brought the cooler with the insulin.", "Peter", "NAME"),
    ],
    "names_beside_medicines": [
        ("Can you give Kavanagh a call back today?", "Kavanagh", "NAME"),
        ("Mi hijo Tadeo toma Nolotil desde ayer", "Tadeo", "NAME"),
        ("La Dra. Quintanilla me recetó Nolotil", "Quintanilla", "NAME"),
        ("Dr. Okonkwo prescribed Brixolan 20 mg", "Okonkwo", "NAME"),
    ],
    "ordinals_counting_things": [
        ("can I move my visit to after the 15th", "15th", "DATE"),
        ("we fly out on the 4th of July", "4th of July", "DATE"),
        ("the clinic is closed on the 12th to later in the month", "12th", "DATE"),
    ],
    "named_scales_and_eponym_phrases": [
        ("We moved to Cincinnati last year for work.", "Cincinnati", "LOCATION"),
        ("Mi hermana vive en Columbia desde 2010", "Columbia", "LOCATION"),
        ("Dr. Braxton Hicks saw me today", "Braxton Hicks", "NAME"),
        ("mi hija Braxton Hicks tiene fiebre", "Braxton Hicks", "NAME"),
    ],
    "english_words_after_cues": [
        ("seen by dr. zirme yesterday about my rash", "zirme", "NAME"),
        ("dr brown called me back about the refill", "brown", "NAME"),
        ("My brother Kevin emailed me the results", "Kevin", "NAME"),
        ("I saw Dr. Okafor. Can he renew my refill?", "Okafor", "NAME"),
        ("the nurse said dr. lee will call", "lee", "NAME"),
    ],
    "spanish_word_forms": [
        ("Me atendió la Dra. Del Valle en urgencias", "Del Valle", "NAME"),
        ("Mi hija Camila tiene fiebre desde ayer", "Camila", "NAME"),
        ("Ella Martínez es mi vecina y tiene fiebre", "Ella Martínez", "NAME"),
        ("Hoy vino Raúl Sánchez a verme", "Raúl Sánchez", "NAME"),
        (
            "Me atendieron en el Instituto Universitario de Oftalmobiología Aplicada por la vista",
            "Instituto Universitario de Oftalmobiología Aplicada",
            "LOCATION",
        ),
    ],
    "spanish_words_in_place": [
        ("me atendio el dr. subira ayer en urgencias", "subira", "NAME"),
        ("le dije a mi hija camila que tomara agua", "camila", "NAME"),
        ("Me atendió el Dr. Subirá ayer", "Subirá", "NAME"),
    ],
    "spanish_capitals_and_alta": [
        ("mi primo vive en Sevilla y tiene fiebre", "Sevilla", "LOCATION"),
        ("MI HIJO VIVE EN MIAMI, FLORIDA", "FLORIDA", "LOCATION"),
        ("Mi amiga Alta Vega me acompaña a la cita", "Alta Vega", "NAME"),
    ],
    "quantities_are_no_addresses": [
        ("I moved, please send it to 42 Maple Way now", "42 Maple Way", "ADDRESS"),
        ("my new address is 1200 Oak Street Apt 4", "1200 Oak Street Apt 4", "ADDRESS"),
    ],
    "words_after_place_cues": [
        ("Pt transferred to NGH for cath.", "NGH", "LOCATION"),
        ("She lives in Framingham with her daughter.", "Framingham", "LOCATION"),
        ("transferred to Claydale General on Monday", "Claydale General", "LOCATION"),
    ],
    "relatives_and_records": [
        (
            "She was seen at Kensington Memorial Hospital last week",
            "Kensington Memorial Hospital",
            "LOCATION",
        ),
        ("Transferred from St. Mary's to rehab.", "St. Mary's", "LOCATION"),
        ("Ingresó en el Hospital Universitario La Paz en mayo", "Hospital Universitario La Paz", "LOCATION"),
    ],
    "texting_english": [
        ("pt seen by j smith rn this am", "j smith", "NAME"),
        ("d/w karen white rn", "karen white", "NAME"),
        ("spoke with dustin about the plan", "dustin", "NAME"),
    ],
    "scores_weekdays_compounds": [
        ("I have had burning since 9/10/2024 in my feet", "9/10/2024", "DATE"),
        ("Seen by Dr. Friday today", "Friday", "NAME"),
        ("Spoke with Blackwood about discharge.", "Blackwood", "NAME"),
    ],
}

MUST_KEEP: dict[str, list[str]] = {
    "eponyms": [
        "Hx of Crohn's, Hashimoto's, Graves disease.",
        "Positive Murphy's sign, Babinski downgoing, Romberg positive, Phalen's negative.",
        "Tinel's sign at wrist.",
        "S/P Whipple, Nissen fundoplication, Roux-en-Y gastric bypass, Hartmann pouch, Billroth II.",
        "Foley in place, Penrose drain, Yankauer suction, Miller 2 blade, Mac 3 blade.",
        "Colles fracture, Smith fracture, Baker's cyst, Bartholin abscess, Meckel diverticulum.",
        "Bell's palsy, Wernicke encephalopathy, Korsakoff, Lou Gehrig's disease.",
        "Kawasaki disease, Marfan habitus, Sjogren's, Sjögren syndrome, Tourette's, Raynaud's phenomenon.",
        "Holter monitor ordered. Swan-Ganz catheter. Hickman line. Port-a-Cath accessed.",
        "Braden 14, Morse 45, Wells 4, Ranson criteria, Child-Pugh class B, Bishop score 8.",
        "Jackson-Pratt drain with 30 cc serosanguinous. Homan's sign negative.",
        "Kernig and Brudzinski signs negative. Chvostek sign positive.",
        "Glasgow coma scale 14. Apgar 8/9.",
        "Hx Hodgkin lymphoma, Cushing syndrome, Addison disease.",
        "Philadelphia collar in place. Boston brace on.",
    ],
    "care_settings": [
        "Transferred from OSH to MICU. Pt from SNF, going to LTACH vs ALF. From NH to IRF.",
        "Pt to PACU then CCU. Was at ECF, LTC. CVICU, NICU. To OR, L&D, TCU, ARU.",
        "Discharged to rehab. Home with home health. Lives in group home, shelter.",
        "d/c to IRF",
        "Went to ARU",
        "sent to L&D",
        "Was at ECF.",
        "PT FROM NH. TO SICU. THEN TO ACUTE REHAB.",
        "dc to subacute rehab vs LTC facility, hospice if declines",
        "Came from PICU to step-down unit, then telemetry floor.",
        "Sent from urgent care to ED, then cath lab.",
    ],
    "ranges_and_measurements": [
        "Give 500-1000 ml. Goal 500-1000.",
        "pain 3-4, SBP 120-140, sats 97-100.",
        "Insulin sliding scale 3/10/15.",
        "Lantus 3/10/15 units. Humalog 3/10/15 with meals.",
        "Novolog 4/6/8 units AC.",
        "keep glucose 120-180, goal MAP 65-70",
        "drank 200-300, voided 350-400",
        "TF goal 60, residuals 100-150",
        "UO 100-200 per hr, replete K goal 4-5",
        "range 1000-1500, then 250-500",
        "fluid bolus 500-1000 if MAP less than 65",
    ],
    "spanish_common_words": [
        "Fecha de Ingreso. Datos del Paciente. Domicilio. Localidad. Provincia. Sexo. Edad.",
        "Dolor en el Pecho, Brazo Izquierdo.",
        "Dice que quiere Matar.",
        "Motivo de Consulta: Dolor. Exploración Física normal. Evolución favorable.",
        "Servicio de Urgencias. Informe Clínico. Historia Actual. Remitido por su Médico.",
        "Patient: Stable overnight.",
        # all-lowercase patient messages: frequent Spanish words that are rare first names
        "no he tomado nada mas hoy, nada me sirve para la tos",
        "mi bebe tiene fiebre y mi nena tambien, esta muy caliente",
        "solo quiero estar en paz",
    ],
    "spanish_addresses_and_dates": [
        "amoxicilina 500 mg c/8 h por 7 días, paracetamol c/ 6 horas si hay dolor",
        "camino todos los dias 30 minutos y subo 2 pisos",
        "c/o pain 6/10 in the left calf, AV block 1 on ECG",
        "me dio fiebre de 38 de nuevo, y la presión 120 de 80",
        "la calle estaba mojada y me caí, me duele la rodilla",
        "can i take 2 instead of 1 dr office is closed, had 3 dr visits this month",
        "Hola, buenas tardes. Tienen citas para mañana? Como le hago para pedir una?",
    ],
    # ordinary words of patient messages: Spanish words that are also towns or rare US surnames,
    # function words after "doctor", English inflections after a relation word
    "patient_messages": [
        "como le hago para bajar la fiebre, ya le di una pastilla",
        "tengo una mancha morada en la cara y me arde la panza",
        "mi abuelo ronca mucho y se toma la pastilla del corazon con agua",
        "me duele la vida, no se me quita el dolor del pecho",
        "Me duele la panza. Vida mía, ¿qué hago con la fiebre? Del lado izquierdo me duele el pecho.",
        "El doctor me dijo que bajara la dosis pero el doctor no contesta.",
        "My brother died of a stroke last year and I keep thinking about it.",
        "My husband coughed all night and my friend overdosed on Friday.",
        "my doctor said to double the dose, can the doctor call me back",
    ],
    # what the patient-message identifier rules must leave alone
    "patient_message_keep": [
        "my sugar was low this morning and now it's 98, is that ok?",
        "Her heart rate is 96 and the pulse ox is 93",
        "hola soy diabetica y soy alergica a la penicilina, que tomo?",
        "its fine now, thank you!",
        "Gracias doctora. Muchas gracias por todo",
        "mi hijo comio cacahuate y mi abuela del rancho no come",
        "the baby hasnt eaten since 6",
        "Took it 2 times on Monday, the pain is 7/10 - worse",
        "fui al hospital de dia el martes y me dieron paracetamol",
        "Can you send it to the pharmacy near my work instead?",
        "the cramping is about 6/10 since last night, is that normal",
        "tengo dolor de espalda 8/10 desde ayer y no se me quita",
        "he moved to his job in the city last spring and goes to her office on Fridays",
    ],
    # ordinary words that census lists also hold as names, in lowercase or Spanish messages
    "patient_message_words": [
        "is a newborn supposed to sleep this much? she only wakes to eat",
        "newborn keeps spitting up after every bottle",
        "we keep the insulin in the fridge, is that ok abt the door shelf?",
        "whats the max of ibuprofen i can give a 30 kg kid",
        "me duele la quijada desde ayer y toso mucho en la noche",
        "tengo la barriga inflamada y me da pena ir a urgencias",
        "cuantas tabletas son una dosis alta para un niño?",
        "Te paso mis resultados: Hemoglobina 12.9 g/dL, Ferritina 8 ng/mL, Plaquetas 310 x10^3/uL",
        "My labs say Neutrophils 81 % and Lymphocytes 12 %, is that an infection?",
        "Explícame el resultado de mi ultrasonido por favor",
        "I was prescribed Percocet after the surgery, can I take it with Tylenol?",
        "do you take walk-ins at this clinic on weekends?",
        "my wrist hurts in both hands and I wrote to each of my doctors",
        "¿puedo pagar la cuenta del hospital en partes?",
        # a frequent word of one language that is also a rare first name ("Hang", "Carry", "Tierra")
        "is it normal for a cough to hang around 3 weeks after a cold",
        "i always carry an epipen and my son has a tiny rash",
        "se me metio tierra en el ojo en la zona de la obra",
    ],
    # brands in no word list, placed where a medicine stands (a medication verb's object, a
    # strength after it): data/{en,es}/medication_context.yaml
    "medicines_by_position": [
        "Me recetaron Tranquimazin de 0.5 para la ansiedad",
        "Mi madre toma Nolotil y Adiro cada dia",
        "me recetaron el Tranquimazin hace un mes y me da sueño",
        "Le cambiaron el Sintrom por Xarelto la semana pasada",
        "Tomo Enantyum 25 mg cada 8 horas",
        "Started on Brixolan 20 mg last week",
        "Dar Apiretal cada 8 horas si tiene fiebre.",
        "Tiene Cardiopatía isquémica y Neuropatia diabética.",
        "She was prescribed Quellora and Vantrexol for sleep",
        # "give" with an indirect object pronoun; Spanish infinitives of the listed verbs
        "Should I give him a Vantrexol and let him rest?",
        "No quiere el pecho. ¿Le puedo dar Brixolan?",
    ],
    # an ordinal before a noun it counts is no day of the month (safe pattern ordinal_noun)
    "ordinals_counting_things": [
        "my aunt is up on the 4th floor and keeps coughing",
        "is the 2nd one the reading that counts?",
        "about 30 min after the 2nd dose I got itchy",
        "this is the 3rd one in 20 min",
        "my 7th grader has a sore throat",
    ],
    # named scales whose head follows a few words on or, in Spanish, comes first; eponym phrases
    # alone (data/en/eponyms.txt, data/en/eponym_context.yaml)
    "named_scales_and_eponym_phrases": [
        "My OB said Braxton Hicks are normal at 30 weeks.",
        "some Braxton Hicks tightenings on and off today",
        "how do I score the Cincinnati stroke scale?",
        "What questions are on the Columbia Suicide Severity Rating Scale?",
        "Is the Edinburgh Postnatal Depression Scale done at every visit?",
        "¿Cómo se aplica la escala Columbia en urgencias?",
        "Tengo contracciones de Braxton Hicks desde ayer",
        "Le operaron de una ileostomía según técnica de Brooke.",
    ],
    # lowercase English words after a title or cue word (names.py _english_word_after_cue; closed
    # classes in name_context.yaml not_names_after_relation)
    "english_words_after_cues": [
        "Is it safe to keep them in the cabinet with teenagers in the house?",
        "This is what the nurse emailed me, what does it mean?",
        "My dad flies a lot for work, is that a clot risk?",
        "My prior auth ran out, can the doctor renew it?",
        "can the doctor fill out the school form",
        "the doctor will call me back so i can wait",
        "i think the doctor so i dont have to come in",
        "I need to talk to the doctor. Can you help me?",
    ],
    # Spanish closed-class words (data/es/closed_class_words.txt), words written without their accents,
    # verbs with enclitics and first-person preterites (detectors/spanish_forms.py), Spanish clinical
    # suffixes (-logía, -grafía, -ectomía)
    # short capitals that are only a rare surname are an acronym; "son" in Spanish is a verb; a word after
    # "its" with a number after it is a medicine; strep is an infection
    "brands_left_out_of_places": [
        "My Honda broke down so I will be late for the infusion.",
        "We stayed at a Ramada and the pool had too much chlorine.",
    ],
    "plural_nouns_in_lowercase_texting": [
        "can u look at my sugar numbers from this week",
        "we walked like 3 miles today and my knee is swollen",
    ],
    "five_digit_amounts": [
        "Recibió 25000 Unidades de heparina sódica en perfusión.",
        "Se administraron 50000 Unidades Internacionales de vitamina D semanales.",
    ],
    "colesterol_and_colaborar": [
        "Colesterol total 210 mg/dl, no colabora con la dieta.",
        "Se colocó collarín cervical, col 2 sin fractura.",
    ],
    "spanish_counts_in_threes": [
        "Plaquetas 250 000 /mm3, leucocitos 9 800 /mm3.",
        "Recuento de plaquetas: 650 000 por microlitro el día 3.",
    ],
    "acronyms_verbs_medicines_infections": [
        "Our EHR went down overnight, so the nurses charted on paper.",
        "Can the EHR send my results to my phone?",
        "en la mano son cortes hondos por el vidrio",
        "its norco 10/325 at bedtime for my back",
        "which kid in her class gave my daughter strep",
    ],
    # an adjective after the noun it agrees with is no surname, even a frequent one (RAE/ASALE 2009, §13.2)
    "spanish_adjectives_after_their_noun": [
        "a mi nieto le brotaron ronchas rojas en la panza",
        "tengo manchas moradas y rojas en los tobillos desde el lunes",
        "le vi unas lineas rojas que van del corte hacia el hombro",
        "desde ayer siento los pies y las manos frias aunque estoy tapado",
        "Ayudeme por favor, no se si darle otra dosis del jarabe.",
        "Llameme cuando pueda, es sobre los resultados.",
        "despues del golpe, al agacharse le escurre agua clarita de la nariz",
    ],
    "spanish_word_forms": [
        "Les copio mis resultados porque no entiendo nada",
        "Mi mamá tuvo un mareo. Ella está bien, pero quiero saber qué hacer",
        "el doctor le dijo que cuente las pataditas del bebe",
        "Me dieron el informe.\nDiagnostico: neumonia adquirida en la comunidad",
        "Vomité dos veces esta mañana y me duele el estómago",
        "Parí hace 5 días y tengo fiebre",
        "Cópialo tal cual, sin resumir.",
        "Quiero hacer un cartelito pa pegarlo en la nevera",
        "Me mandaron a Cardiología por palpitaciones",
        "La Ecografía abdominal salió normal, ¿qué significa?",
    ],
    # Spanish words by their place: "pa" (para) is no credential, a lowercase Spanish word after a title,
    # a word after an unstressed object pronoun, a diminutive of a frequent word (names.py)
    "spanish_words_in_place": [
        "el clonazepam ya no me hace nada pa dormir, me tomo otra?",
        "Necesito que el doctor llene el formulario de la escuela",
        "tengo que hablarlo con el doctor primero?",
        "me mata este dolor de muelas, que tomo?",
        "al final del dia me arden los ojos, que me recomiendan?",
        "fue una chispa chiquita pero me quemo el dedo",
        "cuanto paracetamol es lo maximo que puedo tomar al dia?",
    ],
    # all-caps Spanish words that are towns' names (closed-class words, infinitives) and "alta"
    # (discharge) in its clinical phrases (safe pattern alta_medica)
    "spanish_capitals_and_alta": [
        "EL ZOLPIDEM YA NO ME HACE NADA ME TOMO UNO Y ME DESPIERTO",
        "MI HIJO LLEVA COMO 7 MINUTOS CONVULSIONANDO",
        "la etiqueta dice 'TOMAR 1 CAPSULA CADA 12 HORAS CON ALIMENTOS'",
        "LA NENA MORDIO UNA CAPSULA DE DETERGENTE",
        "Me dieron este papel:\nINFORME DE ALTA\nJuicio clínico: colecistitis aguda",
        "¿Qué significa el resumen de alta que me dieron?",
    ],
    # a number and a unit of time or measure, or a function word, is no house number and street
    "quantities_are_no_addresses": [
        "He's 13 and way too embarrassed to ask her himself.",
        "My heart rate is usually 58 at rest. Is that too low?",
        "this 6 hour drive every weekend is wearing me out",
        "Can I book my daughter's 18 month well visit?",
    ],
    # after a place cue: a lowercase common word is no hospital acronym ("to wash"), pronouns and
    # conjunctions end the words, "another" opens no place, weekdays are no places (locations.py,
    # location_context.yaml not_places)
    "words_after_place_cues": [
        "Ok thanks. Do I need to wash the spacer and how often?",
        "she came to but she says her chest hurts",
        "I'd love to pass it along to them, it would mean a lot.",
        "I need to reschedule my clinic visit next week",
        "She lives in another state. What can I send her?",
        "the machine was broken when I came in tuesday so I got charged twice",
    ],
    # a relative's possessive opens no facility's name; the record a -graphy makes (-gram, -grama)
    "relatives_and_records": [
        "My son's health class showed a video about it.",
        "I need a form filled out for my moms rehab facility",
        "Can you explain it? 'Echocardiogram shows normal ejection fraction.'",
        "Hemograma con hemoglobina de 11 g/dL, ¿es normal?",
        # a Spanish closed-class word (otro, nuestro) opens no facility's name
        "Para llevarlo a otro hospital, ¿se pide por escrito?",
        "Fue remitida a nuestro hospital para completar estudio.",
    ],
    # texting English: a word after a subject pronoun is its verb; -in for -ing; "rn" (right now) after a
    # frequent word is no credential (names.py)
    "texting_english": [
        "i tok all my sleeping pills like 20 min ago",
        "hes startin to wheeze and his voice is goin hoarse",
        "mom is on the floor shakin all over",
        "my wife cant smile on one side rn",
        "my roomate cant talk right rn",
    ],
    # McGill pain descriptors lead a pain score; a weekday after a cue, a care-team word and a compound of
    # two frequent words are no names
    "scores_weekdays_compounds": [
        "now its a stabbing 9/10, I cant stand up straight",
        "HR wants the form by Friday.",
        "Caregiver here. My mom is on the 25 mcg patch",
        "Daycare says she needs a doctor note to come back",
    ],
}


def test_the_eponym_list_is_large_and_folds_variants() -> None:
    assert len(eponyms()) >= 400
    for word in ("Crohn's", "Sjögren", "SJOGREN'S", "Guillain-Barré", "Wolff-Parkinson-White", "Graves'"):
        assert is_eponym(word), word
    assert not is_eponym("Kensington")


def test_care_settings_are_data_and_named_facilities_are_not_care_settings() -> None:
    for value in ("OSH", "LTACH", "l&d", "Acute Rehab", "the MICU", "home health"):
        assert is_care_setting(value), value
    for value in ("Kensington Memorial Hospital", "St. Mary's", "OR", "NH", "Holy Cross"):
        assert not is_care_setting(value), value


def test_spanish_common_words_are_data_and_listed_first_names_stay_names() -> None:
    from medfoundry.deid import lexicon

    assert lexicon.zipf_es("fecha") > 4.0 and lexicon.zipf_es("xqzt") == 0.0
    for word in (
        "fecha",
        "datos",
        "nombre",
        "apellidos",
        "domicilio",
        "pecho",
        "brazo",
        "izquierdo",
        "matar",
    ):
        assert lexicon.is_spanish_common(word), word
    for word in (
        "garcia",
        "garcía",
        "juan",
        "maria",
        "marta",
        "rosa",
        "cruz",
        "fernández",
        "madrid",
        "kshlerin",
        "luz",
        "dolores",
    ):
        assert not lexicon.is_spanish_common(word), word
    # a frequent Spanish word that is a rare first name (rank past 1,500) is a word, even when a
    # small town bears it ("Nada", Texas)
    for word in ("nada", "bebe", "esta", "paz", "nena"):
        assert lexicon.is_spanish_common(word), word
    # a very rare surname (rank past 15,000) that is more Spanish than English is a word; a town
    # does not stop a frequent Spanish word (Zipf >= 4.5) from being one
    for word in ("panza", "morado", "como", "toma", "quito"):
        assert lexicon.is_spanish_common(word), word
    assert not lexicon.is_spanish_common("ny")  # more English than Spanish
    assert lexicon.spanish_share("me duele la panza desde ayer".split()) > 0.5
    assert lexicon.spanish_share("my brother said the pain is worse".split()) < 0.5


def _detect_cases() -> list[tuple[str, str, str, str]]:
    return [(cls, *case) for cls, cases in MUST_DETECT.items() for case in cases]


def _keep_cases() -> list[tuple[str, str]]:
    return [(cls, text) for cls, texts in MUST_KEEP.items() for text in texts]


@pytest.mark.parametrize(("kind", "text", "phi", "type_"), _detect_cases())
def test_must_detect(kind: str, text: str, phi: str, type_: str) -> None:
    start = text.index(phi)
    spans = analyze_text(text)
    covering = [s for s in spans if s.start <= start and s.end >= start + len(phi)]
    assert covering, f"{kind}: {phi!r} not found in {text!r}; spans: {spans}"
    assert covering[0].type == type_, f"{kind}: {phi!r} found as {covering[0].type}, not {type_}"


@pytest.mark.parametrize(("kind", "text"), _keep_cases())
def test_must_keep_finds_nothing(kind: str, text: str) -> None:
    spans = analyze_text(text)
    assert spans == [], f"{kind}: {[text[s.start : s.end] for s in spans]} taken for PHI in {text!r}"


def test_must_keep_texts_come_out_of_deid_text_byte_identical(tmp_path: Path) -> None:
    texts = [text for _kind, text in _keep_cases()]
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["deid", "text", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    changed = [(texts[row["id"]], row["text"]) for row in rows if row["text"] != texts[row["id"]]]
    assert changed == []


# Places the must-keep vetoes must not open: a capitalized article or particle inside a place's name
# (Spanish closed-class words), and a closed compound ending in a place-name element (English
# compounds of two words). Any type counts: what matters is that the place is redacted.
PLACES_KEPT_REDACTED = [
    ("Vive en La Villa Del Rosario con su esposa.", "La Villa Del Rosario"),
    ("Vive en Les Sables-D'Olonne con su esposa.", "Les Sables-D'Olonne"),
    ("Trasladado desde el hospital de L'Alfàs Del Pi ayer.", "L'Alfàs Del Pi"),
    ("He works nights at Oakridge and slept all day.", "Oakridge"),
    # a town whose letters split into two short English words is no compound ("cal" + "via")
    ("Paciente natural de Calvia, acude a urgencias.", "Calvia"),
    # a town written without its accents is no accentless Spanish word
    ("Vive en Almeria con su esposa.", "Almeria"),
    ("Remitido a A Coruna para estudio.", "A Coruna"),
    # a capitalized "Dar" mid-sentence is a place's word, not the verb before a medicine
    ("Vive en Dar El Beida con su esposa.", "Dar El Beida"),
    # a town's "-gram"/"-patia" is no clinical suffix (those follow the Greek combining vowel)
    ("Vive en Bilgram con su esposa.", "Bilgram"),
    ("Vive en Kharupatia con su esposa.", "Kharupatia"),
]


@pytest.mark.parametrize(("text", "place"), PLACES_KEPT_REDACTED)
def test_place_names_with_particles_or_place_elements_stay_redacted(text: str, place: str) -> None:
    start = text.index(place)
    spans = analyze_text(text)
    assert any(s.start <= start and s.end >= start + len(place) for s in spans), (place, spans)


@pytest.mark.parametrize(
    ("text", "phrase_word"),
    [
        ("Valorado por el Dr. Soto de Guardia esta noche.", "Guardia"),
        ("La Dra. Núñez de Urgencias pidió una radiografía.", "Urgencias"),
        ("Interconsulta al Dr. Ibarra de Cardiología.", "Cardiología"),
        ("Tiene Dolores de Cabeza desde ayer.", "Cabeza"),
    ],
)
def test_a_word_joined_by_a_bare_de_is_no_surname(text: str, phrase_word: str) -> None:
    """A bare "de" also joins nouns ("médico de guardia", "dolor de cabeza"): only a rare word after a listed
    name is read as a surname, so the service or the body part after it stays in the text."""
    start = text.index(phrase_word)
    spans = analyze_text(text)
    assert not [s for s in spans if s.start < start + len(phrase_word) and s.end > start], (
        f"{phrase_word!r} taken for PHI in {text!r}: {[text[s.start : s.end] for s in spans]}"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Timothy grass pollen makes my allergies worse every May.",
        "Did I get the MMR shot for German measles as a child?",
        "He took Molly at a concert and his heart is racing.",
        "Do you have my Living Will on file?",
        "Mark as urgent please, the refill is late.",
        "I had Graham crackers and juice when my sugar dropped.",
        "There was Frank blood in the toilet this morning.",
        "He seems Frank about how much he drinks.",
        "Frank hematuria noted after the catheter was changed.",
        "The Mark on his left forearm has been there since birth.",
        "Frank, my concern is the new dose.",
        "Grace and mercy got me through the chemo, and my family too.",
        "Mark, sign and date each page before the visit on Monday.",
    ],
)
def test_capitalized_words_that_are_no_names_stay(text: str) -> None:
    """The first names that are no words in SCOWL leave out capitalized words of patients' messages
    that are no one's name: a pollen, a disease, a street drug, a document, a verb, a food."""
    assert analyze_text(text) == [], [text[s.start : s.end] for s in analyze_text(text)]


@pytest.mark.parametrize(
    "text",
    [
        "tengo una mancha blanca en la lengua desde ayer",
        "me operaron en julio y sigo con dolor",
        "i wore my jean jacket to the er",
        "the aurora was so pretty we stayed out late and now my throat hurts",
        "se me cayo la luna del reloj y me corte el dedo",
        # an accent dropped: "limón", "máximo" (both also surnames)
        "le di te de limon con miel y se le calmo la tos, que mas le puedo dar?",
        "cuantas pastillas de paracetamol le puedo dar como maximo a mi hijo de 20 kilos?",
    ],
)
def test_lowercase_words_that_are_also_names_stay(text: str) -> None:
    """A name SCOWL writes only capitalized counts in lowercase texting, but not a Spanish word ("blanca",
    "julio") nor a word after a determiner ("my jean jacket")."""
    assert analyze_text(text) == [], [text[s.start : s.end] for s in analyze_text(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Can Nancy pick it up?", "Nancy"),
        ("Will Betty call me?", "Betty"),
        ("Give Peter the forms.", "Peter"),
    ],
)
def test_an_auxiliary_or_an_opening_word_is_not_part_of_the_name_after_it(text: str, name: str) -> None:
    """Census surnames such as "Can", "Will" and "Give" never join the name after them when they are an
    auxiliary or a common word capitalized because it opens the sentence."""
    assert [text[s.start : s.end] for s in analyze_text(text)] == [name]


def _census_top_first_names(per_sex: int) -> list[str]:
    import names

    found = []
    for filename in ("dist.female.first", "dist.male.first"):
        lines = Path(names.__file__).with_name(filename).read_text().splitlines()[:per_sex]
        found += [line.split()[0].capitalize() for line in lines]
    return found


@pytest.mark.parametrize(
    "template",
    [
        "Can {} pick up my prescription today?",
        "I asked {} to call you back.",
        "My appointment is with {} next week.",
    ],
)
def test_every_top_census_first_name_is_redacted_mid_sentence_without_a_cue(template: str) -> None:
    """The 100 most frequent female and male first names of the 1990 Census, alone and capitalized in the
    middle of a sentence: also those that are words ("Mark", "Frank", "Carol") or that web2 lists as
    obscure words ("Nancy", "Steven")."""
    left = []
    for name in _census_top_first_names(100):
        text = template.format(name)
        start = text.index(name)
        if not any(s.start <= start and s.end >= start + len(name) for s in analyze_text(text)):
            left.append(name)
    assert not left, f"{len(left)} names left in {template!r}: {left}"
