BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('0008');
CREATE TABLE audit_event (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(40) NOT NULL, 
	action VARCHAR(40) NOT NULL, 
	target VARCHAR(200) NOT NULL, 
	detail VARCHAR(500) NOT NULL, 
	address_key VARCHAR(16) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE clinic (
	id INTEGER NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	therapist VARCHAR(120) NOT NULL, 
	phone VARCHAR(40) NOT NULL, 
	booking_url VARCHAR(500) NOT NULL, 
	address TEXT NOT NULL, 
	hours TEXT NOT NULL, 
	public_url VARCHAR(500) NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "clinic" VALUES(1,'Remedial Massage Clinic','Jade Tran','07 3000 1234','','','','http://192.168.1.20:8000',1,'2026-12-06 08:10:48.852174');
CREATE TABLE content_state (
	id INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	changed_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "content_state" VALUES(1,1,'2026-12-06 08:10:48.838403');
CREATE TABLE media (
	id INTEGER NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	mime_type VARCHAR(40) NOT NULL, 
	data BLOB NOT NULL, 
	byte_size INTEGER NOT NULL, 
	width INTEGER, 
	height INTEGER, 
	sha256 VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT media_kind CHECK (kind IN ('image', 'video'))
);
CREATE TABLE passage (
	id INTEGER NOT NULL, 
	"key" VARCHAR(60) NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	body TEXT NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);
INSERT INTO "passage" VALUES(1,'introduction','Stretching Exercises For Back Pain','For people with back pain, stretching exercises are very important because they can help reduce back pain and may even help prevent future episodes of pain or injury. Correct technique is essential to prevent injury.

Correct stretches combine with Remedial Massage can eliminate back pain.

Remedial massage has a stimulating or sedative effect on the nervous system creating a more mentally focused person.

Remedial massage can also help back muscle spasm or chronic muscle tension present.

With regular remedial massage back pain can be eliminated and combination with correct stretches.

If you are mentally focused, you are going to get the best out of your daily life.',1,'2026-12-06 08:10:48.550851');
INSERT INTO "passage" VALUES(2,'why-stretch','Why is Stretching Important?','The spine is a complex structure comprised of muscles, ligaments, tendons, and bones.

Regular stretching exercises help keep muscles and ligaments flexible.

Stretching help reduce stress on joints and improve the flow of blood and nutrients throughout the body. Without it, stiffness, limitation of movement, and pain can occur or increase.

Stretching is also an important way to prepare the muscles for vigorous activities such as playing a sport.

That is why stretching exercises should also be done before and after a workout to prevent muscle strain and soreness and to help avoid injuries.',1,'2026-12-06 08:10:48.553351');
INSERT INTO "passage" VALUES(3,'good-stretching','Good Stretching','To get the maximum benefit from stretching, proper technique is essential.',1,'2026-12-06 08:10:48.556227');
INSERT INTO "passage" VALUES(4,'give-it-time','Give It Time','Increasing your flexibility to the full range of motion may take time, especially if you are new to stretching or have had chronic back pain for some time. But don’t give up. Be encouraged with even small improvements in your flexibility. Even if it takes several months, in time you will see and feel a difference.',1,'2026-12-06 08:10:48.557929');
INSERT INTO "passage" VALUES(5,'body-and-mind','Back Pain Stretches: Good for the Body and Mind','Use your back pain stretching exercise routine as a way to not only help your body but also as a way to relax your mind.

Don’t rush through your exercise routine; keep your movements fluid and precise.',1,'2026-12-06 08:10:48.559550');
INSERT INTO "passage" VALUES(6,'over-time','Important Reminder','Over time and when done correctly, back pain exercises and stretches can help reduce your back pain.',1,'2026-12-06 08:10:48.561165');
INSERT INTO "passage" VALUES(7,'warning-signs','Warning Signs of a More Serious Back Injury?','In these instances, or you have constant and severe back pain, please urgently consult your nearest hospital, doctor or physiotherapist.',1,'2026-12-06 08:10:48.562746');
INSERT INTO "passage" VALUES(8,'after-your-visit','Your visit','During your visit your condition will be assessed and steps taken to assist with your rehabilitation. After the session FREE muscle stretching sheets can be provided to assist with healing your injury. It is recommended that you continue these exercises at home to speed up the healing process. To book in for a session, please call Jade Tran on 0425 444 304. I hope you found the article helpful in further understanding your symptoms.',1,'2026-12-06 08:10:48.564240');
INSERT INTO "passage" VALUES(9,'disclaimer','Disclaimer','Any opinions expressed within my articles/blog are from my personal perspective, not that of my Professional Associations / Educational Institutions.

Articles are intended to convey information only and should not being misconstrued as medical advice. If you have any concerns regard to medical matter, you need to consult a professional healthcare provider.

I will not compensate you in any way what so ever should you happen to suffer death/injury/loss/inconvenience/damage due to the information contain in this article.',1,'2026-12-06 08:10:48.565777');
CREATE TABLE patient_sheet (
	id INTEGER NOT NULL, 
	token VARCHAR(64) NOT NULL, 
	note TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_on DATE, 
	revoked_at DATETIME, 
	created_by_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(created_by_id) REFERENCES staff_account (id) ON DELETE SET NULL, 
	UNIQUE (token)
);
INSERT INTO "patient_sheet" VALUES(1,'kept-on-the-fridge-2026','Morning and night, gently.','2026-12-06 08:10:58.965187',NULL,NULL,1);
CREATE TABLE patient_sheet_item (
	id INTEGER NOT NULL, 
	sheet_id INTEGER NOT NULL, 
	stretch_id INTEGER, 
	position INTEGER NOT NULL, 
	slug VARCHAR(80) NOT NULL, 
	title VARCHAR(120) NOT NULL, 
	body_region VARCHAR(80) NOT NULL, 
	steps JSON NOT NULL, 
	hold_seconds INTEGER NOT NULL, 
	repetitions INTEGER NOT NULL, 
	sides JSON NOT NULL, 
	stretch_position VARCHAR(20) NOT NULL, 
	cautions TEXT NOT NULL, 
	demonstration VARCHAR(80) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(sheet_id) REFERENCES patient_sheet (id) ON DELETE CASCADE, 
	FOREIGN KEY(stretch_id) REFERENCES stretch (id) ON DELETE SET NULL
);
INSERT INTO "patient_sheet_item" VALUES(1,1,1,1,'neck-stretch','Neck Stretch','Neck','["Stand with your feet flat on the floor, knees slightly bent, head forward.", "Tilt your head slowly forward, bringing your chin toward your chest.", "Turn your head to the left very slowly until your chin aligns with your left shoulder. Repeat to the right.", "Tilt your head slowly to the left, bringing your ear over your left shoulder. Repeat to the right.", "Return to the starting position."]',20,3,'["left", "right"]','standing','','neck-stretch');
INSERT INTO "patient_sheet_item" VALUES(2,1,2,2,'shoulder-rolls','Shoulder Rolls','Shoulders','["Sit in a chair with your feet flat on the floor.", "Using slow, fluid movements, roll your shoulders forward 10 times beginning with little circles and progressing to larger circles.", "Repeat step 2 rotating your shoulders backwards.", "Return to the starting position"]',10,3,'["forwards", "backwards"]','seated','','shoulder-rolls');
CREATE TABLE revision (
	id INTEGER NOT NULL, 
	entity VARCHAR(40) NOT NULL, 
	entity_id INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	staff_id INTEGER, 
	created_at DATETIME NOT NULL, 
	summary VARCHAR(200) NOT NULL, 
	"before" JSON, 
	"after" JSON, 
	PRIMARY KEY (id), 
	FOREIGN KEY(staff_id) REFERENCES staff_account (id) ON DELETE SET NULL
);
CREATE TABLE routine (
	id INTEGER NOT NULL, 
	slug VARCHAR(80) NOT NULL, 
	title VARCHAR(120) NOT NULL, 
	description TEXT NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (slug)
);
INSERT INTO "routine" VALUES(1,'back-pain-stretches','Back pain stretches','The seven stretches from the clinic''s article, from the neck down the body.',1,'2026-12-06 08:10:48.647204');
CREATE TABLE routine_item (
	id INTEGER NOT NULL, 
	routine_id INTEGER NOT NULL, 
	stretch_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	hold_seconds INTEGER, 
	repetitions INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(routine_id) REFERENCES routine (id) ON DELETE CASCADE, 
	FOREIGN KEY(stretch_id) REFERENCES stretch (id) ON DELETE RESTRICT
);
INSERT INTO "routine_item" VALUES(1,1,1,1,NULL,NULL);
INSERT INTO "routine_item" VALUES(2,1,2,2,NULL,NULL);
INSERT INTO "routine_item" VALUES(3,1,3,3,NULL,NULL);
INSERT INTO "routine_item" VALUES(4,1,4,4,NULL,NULL);
INSERT INTO "routine_item" VALUES(5,1,5,5,NULL,NULL);
INSERT INTO "routine_item" VALUES(6,1,6,6,NULL,NULL);
INSERT INTO "routine_item" VALUES(7,1,7,7,NULL,NULL);
CREATE TABLE safety_note (
	id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "safety_note" VALUES(1,1,'Be sure to talk to your doctor before starting any new exercise or stretching program to make sure there are no restrictions in the type of stretching you should do.');
INSERT INTO "safety_note" VALUES(2,2,'Do not stretch if you have had spine surgery recently.');
INSERT INTO "safety_note" VALUES(3,3,'Please stop stretching and let your doctor know if you are experiencing pain when stretching; it may be an indication that your technique is incorrect or that you have an injury or some other medical problem.');
CREATE TABLE "screen" (
	id INTEGER NOT NULL, 
	slug VARCHAR(80) NOT NULL, 
	name VARCHAR(120) NOT NULL, 
	routine_id INTEGER, 
	dwell_seconds INTEGER NOT NULL, 
	idle_seconds INTEGER NOT NULL, 
	slide_kinds JSON NOT NULL, 
	orientation VARCHAR(20) NOT NULL, 
	last_report_at DATETIME, 
	last_slide VARCHAR(200) NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	override_routine_id INTEGER, 
	override_until DATETIME, 
	report_key VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT fk_screen_override_routine FOREIGN KEY(override_routine_id) REFERENCES routine (id) ON DELETE SET NULL, 
	UNIQUE (slug), 
	FOREIGN KEY(routine_id) REFERENCES routine (id) ON DELETE SET NULL
);
INSERT INTO "screen" VALUES(1,'waiting-room','Waiting room',1,15,60,'["stretch", "advice", "warning_signs", "contact"]','landscape',NULL,'',1,'2026-12-06 08:10:48.841115',NULL,NULL,'455b96597afa6d952aaf80c8206ad74e197b0e2d154a19ecad3b70ff717ffe20');
CREATE TABLE screen_schedule (
	id INTEGER NOT NULL, 
	screen_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	routine_id INTEGER NOT NULL, 
	weekdays JSON NOT NULL, 
	starts VARCHAR(5) NOT NULL, 
	ends VARCHAR(5) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(screen_id) REFERENCES screen (id) ON DELETE CASCADE, 
	FOREIGN KEY(routine_id) REFERENCES routine (id) ON DELETE CASCADE
);
CREATE TABLE seed_mark (
	"key" VARCHAR(120) NOT NULL, 
	seeded_at DATETIME NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "seed_mark" VALUES('clinic','2026-12-06 08:10:48.545658');
INSERT INTO "seed_mark" VALUES('passage:introduction','2026-12-06 08:10:48.551516');
INSERT INTO "seed_mark" VALUES('passage:why-stretch','2026-12-06 08:10:48.553668');
INSERT INTO "seed_mark" VALUES('passage:good-stretching','2026-12-06 08:10:48.556534');
INSERT INTO "seed_mark" VALUES('passage:give-it-time','2026-12-06 08:10:48.558233');
INSERT INTO "seed_mark" VALUES('passage:body-and-mind','2026-12-06 08:10:48.559802');
INSERT INTO "seed_mark" VALUES('passage:over-time','2026-12-06 08:10:48.561424');
INSERT INTO "seed_mark" VALUES('passage:warning-signs','2026-12-06 08:10:48.562990');
INSERT INTO "seed_mark" VALUES('passage:after-your-visit','2026-12-06 08:10:48.564471');
INSERT INTO "seed_mark" VALUES('passage:disclaimer','2026-12-06 08:10:48.566056');
INSERT INTO "seed_mark" VALUES('tips:ace0702fa5d757a2','2026-12-06 08:10:48.572976');
INSERT INTO "seed_mark" VALUES('tips:6643db031fa94a03','2026-12-06 08:10:48.575164');
INSERT INTO "seed_mark" VALUES('tips:abf77cb17b527254','2026-12-06 08:10:48.577121');
INSERT INTO "seed_mark" VALUES('tips:a0cccdaf41096622','2026-12-06 08:10:48.579265');
INSERT INTO "seed_mark" VALUES('tips:6b5b577494123a92','2026-12-06 08:10:48.581721');
INSERT INTO "seed_mark" VALUES('tips:ea4a4adbabab0cbf','2026-12-06 08:10:48.584277');
INSERT INTO "seed_mark" VALUES('safety_notes:a7a66e992c5159d5','2026-12-06 08:10:48.590522');
INSERT INTO "seed_mark" VALUES('safety_notes:75fe2c952c376a4e','2026-12-06 08:10:48.592732');
INSERT INTO "seed_mark" VALUES('safety_notes:39548707706cf90a','2026-12-06 08:10:48.594874');
INSERT INTO "seed_mark" VALUES('warning_signs:2ff6b2aa94ce337e','2026-12-06 08:10:48.599973');
INSERT INTO "seed_mark" VALUES('warning_signs:43cd1c05de020639','2026-12-06 08:10:48.607584');
INSERT INTO "seed_mark" VALUES('warning_signs:2a9914bf9192529c','2026-12-06 08:10:48.609437');
INSERT INTO "seed_mark" VALUES('warning_signs:7fc265a1e480674f','2026-12-06 08:10:48.611350');
INSERT INTO "seed_mark" VALUES('warning_signs:00db00aee96f54e2','2026-12-06 08:10:48.613176');
INSERT INTO "seed_mark" VALUES('warning_signs:b6d335716e33c035','2026-12-06 08:10:48.615576');
INSERT INTO "seed_mark" VALUES('warning_signs:f4510074e6efdf68','2026-12-06 08:10:48.617411');
INSERT INTO "seed_mark" VALUES('stretch:neck-stretch','2026-12-06 08:10:48.622401');
INSERT INTO "seed_mark" VALUES('stretch:shoulder-rolls','2026-12-06 08:10:48.628165');
INSERT INTO "seed_mark" VALUES('stretch:hamstring-stretch-lying-down','2026-12-06 08:10:48.630072');
INSERT INTO "seed_mark" VALUES('stretch:hamstring-stretch-standing','2026-12-06 08:10:48.631806');
INSERT INTO "seed_mark" VALUES('stretch:hip-twists','2026-12-06 08:10:48.633469');
INSERT INTO "seed_mark" VALUES('stretch:psoas-stretch','2026-12-06 08:10:48.635331');
INSERT INTO "seed_mark" VALUES('stretch:piriformis-stretch','2026-12-06 08:10:48.636812');
INSERT INTO "seed_mark" VALUES('routine:back-pain-stretches','2026-12-06 08:10:48.647700');
INSERT INTO "seed_mark" VALUES('screen:waiting-room','2026-12-06 08:10:48.839371');
CREATE TABLE sheet_open (
	kind VARCHAR(20) NOT NULL, 
	sheet_id INTEGER NOT NULL, 
	day DATE NOT NULL, 
	opens INTEGER NOT NULL, 
	PRIMARY KEY (kind, sheet_id, day)
);
CREATE TABLE sign_in_failure (
	id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE "staff_account" (
	id INTEGER NOT NULL, 
	username VARCHAR(40) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	session_key VARCHAR(64) NOT NULL, 
	must_change_password BOOLEAN NOT NULL, 
	password_changed_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT staff_role CHECK (role IN ('admin', 'staff')), 
	CONSTRAINT uq_staff_account_session_key UNIQUE (session_key), 
	UNIQUE (username)
);
INSERT INTO "staff_account" VALUES(1,'jade','scrypt:32768:8:1$bdQ7OjeAi0BdvJqh$b8c9f2cfe546d47da12e4c50554efd64e8757b99a14e0cc8ade26bd2afac186a0e9e2bca24fc65e85349d8a7370e1301d6712c6b3c05f6ef0b1020420b11fd7a','admin',1,'2026-12-06 08:10:49.179999','71afcb520cceff3c199ffe43916b5e870b584df0641482001bdc2ff211a038a8',0,NULL);
CREATE TABLE "stretch" (
	id INTEGER NOT NULL, 
	slug VARCHAR(80) NOT NULL, 
	title VARCHAR(120) NOT NULL, 
	body_region VARCHAR(80) NOT NULL, 
	neck_order INTEGER NOT NULL, 
	steps JSON NOT NULL, 
	hold_seconds INTEGER NOT NULL, 
	repetitions INTEGER NOT NULL, 
	sides JSON NOT NULL, 
	position VARCHAR(20) NOT NULL, 
	cautions TEXT NOT NULL, 
	demonstration VARCHAR(80) NOT NULL, 
	retired BOOLEAN NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	media_id INTEGER, 
	PRIMARY KEY (id), 
	CONSTRAINT stretch_position CHECK (position IN ('seated', 'standing', 'floor')), 
	CONSTRAINT stretch_hold CHECK (hold_seconds BETWEEN 1 AND 600), 
	CONSTRAINT stretch_repetitions CHECK (repetitions BETWEEN 1 AND 50), 
	CONSTRAINT fk_stretch_media FOREIGN KEY(media_id) REFERENCES media (id) ON DELETE SET NULL, 
	UNIQUE (slug)
);
INSERT INTO "stretch" VALUES(1,'neck-stretch','Neck Stretch','Neck',1,'["Stand with your feet flat on the floor, knees slightly bent, head forward.", "Tilt your head slowly forward, bringing your chin toward your chest.", "Turn your head to the left very slowly until your chin aligns with your left shoulder. Repeat to the right.", "Tilt your head slowly to the left, bringing your ear over your left shoulder. Repeat to the right.", "Return to the starting position."]',10,3,'["left", "right"]','standing','','neck-stretch',0,1,'2026-12-06 08:10:48.624176',NULL);
INSERT INTO "stretch" VALUES(2,'shoulder-rolls','Shoulder Rolls','Shoulders',2,'["Sit in a chair with your feet flat on the floor.", "Using slow, fluid movements, roll your shoulders forward 10 times beginning with little circles and progressing to larger circles.", "Repeat step 2 rotating your shoulders backwards.", "Return to the starting position"]',10,3,'["forwards", "backwards"]','seated','','shoulder-rolls',0,1,'2026-12-06 08:10:48.628485',NULL);
INSERT INTO "stretch" VALUES(3,'hamstring-stretch-lying-down','Hamstring Stretch (Lying Down)','Back of the thighs',3,'["Lie flat on your back with your knees bent.", "Grasp one leg behind the thigh and slowly bring it toward your chest.", "Pull until a gentle stretch is felt. Hold.", "Return to the starting position.", "Repeat with other leg."]',10,3,'["left", "right"]','floor','','hamstring-stretch-lying-down',0,1,'2026-12-06 08:10:48.630379',NULL);
INSERT INTO "stretch" VALUES(4,'hamstring-stretch-standing','Hamstring Stretch (Standing)','Back of the thighs',4,'["Stand with one leg straight out in front of you, resting your leg on a table or chair.", "Slowly bend the leg you are standing on until you feel a mild stretch under the thigh of the raised leg hold.", "Return to the starting position.", "Repeat with other leg."]',10,3,'["left", "right"]','standing','','hamstring-stretch-standing',0,1,'2026-12-06 08:10:48.632056',NULL);
INSERT INTO "stretch" VALUES(5,'hip-twists','Hip Twists','Lower back and hips',5,'["Lie flat on your back with your knees bent.", "Keeping your back flat on the floor, slowly rotate your hips to the left, lowering your legs down to the floor until you feel a mild stretch. Hold.", "Return to the starting position.", "Repeat step 2 rotating your hips to the right. Hold.", "Return to the starting position."]',10,3,'["left", "right"]','floor','','hip-twists',0,1,'2026-12-06 08:10:48.633787',NULL);
INSERT INTO "stretch" VALUES(6,'psoas-stretch','Psoas Stretch','Front of the hips',6,'["Start in a lunge position, with the hip you are stretching as the back leg.", "Move your hips and torso as far forward as you can and make sure your back knee doesn\u2019t slide forwards.", "Keep your torso upright and chest forwards. You can add more of a stretch by incorporating an anterior pelvic tilt \u2013 by tucking your buttocks underneath you and moving your pelvic bone towards you."]',10,3,'["left", "right"]','floor','','psoas-stretch',0,1,'2026-12-06 08:10:48.635604',NULL);
INSERT INTO "stretch" VALUES(7,'piriformis-stretch','Piriformis Stretch','Buttocks and hips',7,'["Put your leg into a 90 degree angle while lying on your back.", "Bring the other leg up and cross it over your raised leg.", "Hold it this position for 30 seconds and the switch legs.", "Imagine crossing your legs while sitting on a chair, only do it while lying on your back on the floor."]',30,3,'["left", "right"]','floor','','piriformis-stretch',0,1,'2026-12-06 08:10:48.637053',NULL);
CREATE TABLE tip (
	id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "tip" VALUES(1,1,'Start at the neck and work each muscle group down the body. This allows you to use already stretched muscles as you go.');
INSERT INTO "tip" VALUES(2,2,'Stretch slowly and gently within your pain threshold and never go beyond as it will cause injury or a muscle tear.');
INSERT INTO "tip" VALUES(3,3,'Hold each stretch for 10 seconds and do it 3 times.');
INSERT INTO "tip" VALUES(4,4,'Breath deeply in before each stretch and exhale during the stretch.');
INSERT INTO "tip" VALUES(5,5,'Stretch for the same amount of time on each part of the body.');
INSERT INTO "tip" VALUES(6,6,'Performing stretching exercises first thing in the morning is a great way to start your day.');
CREATE TABLE video_still (
	video_sha256 VARCHAR(64) NOT NULL, 
	data BLOB, 
	byte_size INTEGER, 
	width INTEGER, 
	height INTEGER, 
	sha256 VARCHAR(64), 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (video_sha256)
);
CREATE TABLE warning_sign (
	id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "warning_sign" VALUES(1,1,'Pins and needles (paraesthesia)');
INSERT INTO "warning_sign" VALUES(2,2,'Numbness (anaesthesia)');
INSERT INTO "warning_sign" VALUES(3,3,'Leg muscle weakness');
INSERT INTO "warning_sign" VALUES(4,4,'Altered reflexes');
INSERT INTO "warning_sign" VALUES(5,5,'Difficulty walking');
INSERT INTO "warning_sign" VALUES(6,6,'Loss of control of bladder or bowels');
INSERT INTO "warning_sign" VALUES(7,7,'Constant and severe back pain');
CREATE INDEX ix_revision_entity ON revision (entity, entity_id);
CREATE INDEX ix_routine_item_routine_id ON routine_item (routine_id);
CREATE INDEX ix_patient_sheet_item_sheet_id ON patient_sheet_item (sheet_id);
CREATE INDEX ix_screen_schedule_screen_id ON screen_schedule (screen_id);
CREATE INDEX ix_media_sha256 ON media (sha256);
CREATE INDEX ix_sign_in_failure_key_at ON sign_in_failure ("key", at);
CREATE INDEX ix_audit_event_at ON audit_event (at);
COMMIT;
