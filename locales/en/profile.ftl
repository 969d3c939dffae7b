## Bank member questionnaire and /profile

form-progress = <b>{ $number }/{ $total }</b>
form-back = ◀ Back
form-skip = Skip
form-done = Done
form-today = Today
form-share-phone = 📱 Share my number
form-mentor-consent-agree = ✅ I agree to be a mentor
form-type-other = Write your own option in one message.
form-other-noted = Your option: { $text }. Tick anything else and tap "Done".
form-complete = Profile complete, thank you! View and edit it: /profile. What else you can do: /help
form-unknown-command = That command isn't available here. Answer the question, or leave the dialogue: /cancel
form-use-buttons = Choose an answer with the buttons under the question.

q-full_name = What's your name? Please write your full name.
q-position = What's your position?
q-phone = Your contact phone. Tap the button to share your Telegram number, or type it. You can skip this.
q-birth_year = Year of birth? For example: 1995.
q-education = What's your education?
q-experience_years = Teaching experience, in full years? If less than a year, write 0.
q-started_on = When did you start working at this organisation? Date as DD.MM.YYYY.
q-mentee_category = What describes you best?
q-main_request = Your main request to a mentor: what do you need help with first?
q-difficulties = Where do you have professional difficulties? Tick all that apply; you can write your own option as a message.
q-competencies = Your main strengths as a mentor? Tick all that apply; you can write your own option as a message.
q-achievements = Your achievements relevant to mentoring (contests, publications, open lessons)?
q-interests = Your professional interests?
q-preferred_mentee = Who would you prefer to mentor (experience, age, area)?
q-hours_per_month = How many hours a month can you give to mentoring? A number from 1 to 80.
q-mentor_consent_at =
    A mentor is assigned only with their written consent.
    Tap the button if you agree to be assigned as a mentor in this organisation.

field-full_name = Full name
field-position = Position
field-phone = Phone
field-birth_year = Year of birth
field-education = Education
field-experience_years = Experience, years
field-started_on = Started at the organisation
field-mentee_category = Category
field-main_request = Main request
field-difficulties = Difficulties
field-competencies = Strengths
field-achievements = Achievements
field-interests = Interests
field-preferred_mentee = Preferred mentee
field-hours_per_month = Hours per month
field-mentor_consent_at = Consent to be a mentor

opt-position-educator = Teacher
opt-position-senior_educator = Senior teacher
opt-position-music_director = Music teacher
opt-position-pe_instructor = PE instructor
opt-position-speech_therapist = Speech therapist
opt-position-defectologist = Special needs teacher
opt-position-psychologist = Educational psychologist
opt-position-additional_education = Extracurricular teacher
opt-position-methodist = Methodologist
opt-position-other = Other (I'll write it)

opt-education-higher_pedagogical = Higher, in teaching
opt-education-higher_other = Higher, not in teaching
opt-education-vocational_pedagogical = Vocational, in teaching
opt-education-vocational_other = Vocational, not in teaching

opt-mentee_category-young_specialist = Young specialist, first steps in the profession
opt-mentee_category-new_technology = Experienced teacher learning a new technology
opt-mentee_category-new_to_team = Recently joined this team
opt-mentee_category-non_pedagogical = My education isn't in teaching

opt-difficulties-planning = Planning educational work
opt-difficulties-methods = Teaching methods and techniques
opt-difficulties-parents = Working with parents
opt-difficulties-group_management = Running a group, discipline
opt-difficulties-documentation = Paperwork
opt-difficulties-inclusion = Children with special needs, inclusion
opt-difficulties-digital = Digital tools
opt-difficulties-health = Health and wellbeing
opt-difficulties-team = Relationships with colleagues

opt-competencies-planning = Planning educational work
opt-competencies-methods = Teaching methods and techniques
opt-competencies-parents = Working with parents
opt-competencies-group_management = Running a group
opt-competencies-documentation = Paperwork
opt-competencies-inclusion = Inclusive education
opt-competencies-digital = Digital tools
opt-competencies-health = Health and wellbeing
opt-competencies-contests = Preparing for contests
opt-competencies-research = Projects and research

profile-none = You're not a member of any organisation yet. To join, open the invitation link from your curator.
profile-staff-only = Your role in { $organisation } is { $role }. There's no bank questionnaire for this role.
profile-header = <b>My profile</b> ({ $role })
profile-incomplete = The questionnaire isn't finished.
profile-edit = ✏️ Edit
profile-continue = ▶ Continue questionnaire
profile-choose-field = What would you like to change?
profile-mentor-consent-given = given on { $date }
